"""What a benchmark declares, and how run.py hands one to the load generator.

A benchmark module ``bench/bench_<something>.py`` defines ``BENCHMARK = Benchmark(...)``;
run.py discovers it. ``LoadConfig`` is the contract between run.py and locustfile.py: run.py
writes it into the locust process's environment, locustfile.py reads it back.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

NAME_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
LATENCY = "latency"
THROUGHPUT = "throughput"
KINDS = (LATENCY, THROUGHPUT)
# The cheapest page behind sign-in: the professional's own details (session, user,
# second-factor check, the header's memberships and a small form), for ``floor_login``.
SIGNED_IN_FLOOR = "/accounts/profile/"


@dataclass(frozen=True)
class Benchmark:
    """One measured page and its floor, requested side by side under the same load.

    ``path`` and ``floor_path`` are GET paths on the app (query strings allowed); each must
    answer 200 itself, not a redirect, or the benchmark is invalid. Half of ``concurrency``
    simulated users request ``path`` in a closed loop and the other half ``floor_path``, at
    the same time. When ``login`` is true the users on ``path`` first sign in as the seed's
    first synthetic professional; the floor users stay anonymous, so the floor is the
    cheapest request through the full middleware stack, unless ``floor_login`` is true:
    then they sign in too, and the floor is a signed-in page (``SIGNED_IN_FLOOR``, the
    cheapest page behind sign-in). Load runs ``duration_seconds``;
    samples from the first ``warmup_seconds`` after all users started are discarded.
    ``seed_arguments`` are the seed_synthetic options the benchmark's data needs (such as
    ``("--clients", "1000000")``); benchmarks with different ones run on different databases.

    More users than gunicorn workers (run.py's ``GUNICORN_WORKERS``) make requests queue:
    both paths then mostly measure the queue and the ratio tends to 1 (see README.md).

    A ``kind="throughput"`` benchmark measures instead how requests per second grow with
    concurrent users: for each of ``concurrency_levels`` (ascending, starting at 1, the last
    equal to ``concurrency``) it runs ``path`` alone with that many users, then
    ``floor_path`` alone with as many, each for ``duration_seconds``, and reports each
    path's throughput against its own at 1 user and the page's against the floor's.
    ``gunicorn_workers`` sets the server's workers (default: run.py's ``GUNICORN_WORKERS``
    for latency benchmarks, the number of CPUs, at least 2, for throughput benchmarks).
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
    # Python run the same way whose last printed line is the username to sign in as (with
    # the synthetic password), for a page seen by someone other than the seed's first
    # professional.
    login_program: str = ""
    kind: str = LATENCY
    concurrency_levels: tuple[int, ...] = ()
    gunicorn_workers: int | None = None
    floor_login: bool = False

    def __post_init__(self) -> None:
        if not NAME_PATTERN.fullmatch(self.name):
            raise ValueError(f"Benchmark name {self.name!r} must match {NAME_PATTERN.pattern}.")
        for path in ([] if self.path_program else [self.path]) + [self.floor_path]:
            if not path.startswith("/") or path.startswith("//"):
                raise ValueError(f"{self.name}: {path!r} must be a path on the app, like /healthz.")
        if self.kind not in KINDS:
            raise ValueError(f"{self.name}: kind must be one of {', '.join(KINDS)}.")
        if self.kind == LATENCY:
            if self.concurrency < 2 or self.concurrency % 2:
                raise ValueError(f"{self.name}: concurrency must be even and at least 2.")
            if self.concurrency_levels:
                raise ValueError(f"{self.name}: concurrency levels are for throughput only.")
        else:
            levels = self.concurrency_levels
            if (
                not levels
                or levels[0] != 1
                or any(lower >= higher for lower, higher in itertools.pairwise(levels))
                or levels[-1] != self.concurrency
            ):
                raise ValueError(
                    f"{self.name}: concurrency levels must ascend from 1 to concurrency."
                )
        if self.gunicorn_workers is not None and self.gunicorn_workers < 1:
            raise ValueError(f"{self.name}: gunicorn_workers must be at least 1.")
        if not 0 <= self.warmup_seconds < self.duration_seconds:
            raise ValueError(f"{self.name}: warm-up must be shorter than the duration.")

    @property
    def users_per_path(self) -> int:
        return self.concurrency // 2


@dataclass(frozen=True)
class LoadConfig:
    """Everything locustfile.py needs for one run, passed as ``BENCH_*`` variables.

    Either user count may be 0 (a throughput run loads one path alone), not both.
    """

    measured_path: str
    floor_path: str
    login: bool
    floor_login: bool
    username: str
    password: str
    measured_users: int
    floor_users: int
    warmup_seconds: float
    max_requests: int
    samples_file: str

    def to_environment(self) -> dict[str, str]:
        return {
            "BENCH_MEASURED_PATH": self.measured_path,
            "BENCH_FLOOR_PATH": self.floor_path,
            "BENCH_LOGIN": "1" if self.login else "0",
            "BENCH_FLOOR_LOGIN": "1" if self.floor_login else "0",
            "BENCH_USERNAME": self.username,
            "BENCH_PASSWORD": self.password,
            "BENCH_MEASURED_USERS": str(self.measured_users),
            "BENCH_FLOOR_USERS": str(self.floor_users),
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
            floor_login=environment.get("BENCH_FLOOR_LOGIN") == "1",
            username=environment["BENCH_USERNAME"],
            password=environment["BENCH_PASSWORD"],
            measured_users=int(environment["BENCH_MEASURED_USERS"]),
            floor_users=int(environment["BENCH_FLOOR_USERS"]),
            warmup_seconds=float(environment["BENCH_WARMUP_SECONDS"]),
            max_requests=int(environment["BENCH_MAX_REQUESTS"]),
            samples_file=environment["BENCH_SAMPLES_FILE"],
        )
