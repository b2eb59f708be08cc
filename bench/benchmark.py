"""What a benchmark declares, and how run.py hands one to the load generator.

A benchmark module ``bench/bench_<something>.py`` defines ``BENCHMARK = Benchmark(...)``;
run.py discovers it. ``LoadConfig`` is the contract between run.py and locustfile.py: run.py
writes it into the locust process's environment, locustfile.py reads it back.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

NAME_PATTERN = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class Benchmark:
    """One measured page and its floor, requested side by side under the same load.

    ``path`` and ``floor_path`` are GET paths on the app (query strings allowed); each must
    answer 200 itself, not a redirect, or the benchmark is invalid. Half of ``concurrency``
    simulated users request ``path`` in a closed loop and the other half ``floor_path``, at
    the same time. When ``login`` is true the users on ``path`` first sign in as the seed's
    first synthetic professional; the floor users stay anonymous, so the floor is the
    cheapest request through the full middleware stack. Load runs ``duration_seconds``;
    samples from the first ``warmup_seconds`` after all users started are discarded.
    ``seed_arguments`` are the seed_synthetic options the benchmark's data needs (such as
    ``("--clients", "1000000")``); benchmarks with different ones run on different databases.

    More users than gunicorn workers (run.py's ``GUNICORN_WORKERS``) make requests queue:
    both paths then mostly measure the queue and the ratio tends to 1 (see README.md).
    """

    name: str
    description: str
    path: str
    floor_path: str
    login: bool
    concurrency: int
    duration_seconds: int
    warmup_seconds: int = 3
    seed_arguments: tuple[str, ...] = ()
    # Python run in the app's ``manage.py shell`` whose last printed line is the path to
    # measure, for paths that depend on the data (such as one client's page); when set,
    # ``path`` only describes it.
    path_program: str = ""

    def __post_init__(self) -> None:
        if not NAME_PATTERN.fullmatch(self.name):
            raise ValueError(f"Benchmark name {self.name!r} must match {NAME_PATTERN.pattern}.")
        for path in ([] if self.path_program else [self.path]) + [self.floor_path]:
            if not path.startswith("/") or path.startswith("//"):
                raise ValueError(f"{self.name}: {path!r} must be a path on the app, like /healthz.")
        if self.concurrency < 2 or self.concurrency % 2:
            raise ValueError(f"{self.name}: concurrency must be even and at least 2.")
        if not 0 <= self.warmup_seconds < self.duration_seconds:
            raise ValueError(f"{self.name}: warm-up must be shorter than the duration.")

    @property
    def users_per_path(self) -> int:
        return self.concurrency // 2


@dataclass(frozen=True)
class LoadConfig:
    """Everything locustfile.py needs for one run, passed as ``BENCH_*`` variables."""

    measured_path: str
    floor_path: str
    login: bool
    username: str
    password: str
    users_per_path: int
    warmup_seconds: float
    max_requests: int
    samples_file: str

    def to_environment(self) -> dict[str, str]:
        return {
            "BENCH_MEASURED_PATH": self.measured_path,
            "BENCH_FLOOR_PATH": self.floor_path,
            "BENCH_LOGIN": "1" if self.login else "0",
            "BENCH_USERNAME": self.username,
            "BENCH_PASSWORD": self.password,
            "BENCH_USERS_PER_PATH": str(self.users_per_path),
            "BENCH_WARMUP_SECONDS": str(self.warmup_seconds),
            "BENCH_MAX_REQUESTS": str(self.max_requests),
            "BENCH_SAMPLES_FILE": self.samples_file,
        }

    @classmethod
    def from_environment(cls, environment: Mapping[str, str] = os.environ) -> LoadConfig:
        """Read the configuration back; a missing variable raises ``KeyError``."""
        return cls(
            measured_path=environment["BENCH_MEASURED_PATH"],
            floor_path=environment["BENCH_FLOOR_PATH"],
            login=environment["BENCH_LOGIN"] == "1",
            username=environment["BENCH_USERNAME"],
            password=environment["BENCH_PASSWORD"],
            users_per_path=int(environment["BENCH_USERS_PER_PATH"]),
            warmup_seconds=float(environment["BENCH_WARMUP_SECONDS"]),
            max_requests=int(environment["BENCH_MAX_REQUESTS"]),
            samples_file=environment["BENCH_SAMPLES_FILE"],
        )
