"""Polku's benchmark harness, run by ``make bench``.

Discovers the benchmarks (``bench_*.py`` defining ``BENCHMARK``) and groups them by the
synthetic data they need. For each group: prepares a PostgreSQL database (create if missing,
migrate, seed_synthetic), serves the app with gunicorn on a free loopback port and runs the
group's benchmarks with headless locust. Prints one line per result and writes
``bench/results/latest.json``. gunicorn is stopped whatever happens.

Exit status: 0 when every benchmark is valid, 1 when any benchmark is invalid (a failed
request or sign-in, or no samples), 2 when the harness could not run (database, migrations,
seeding, server start-up, locust).

Usage: ``run.py [--only NAME]... [--list] [--seed N] [--clients N] [--duration S]
[-- SEED_SYNTHETIC_ARGUMENTS...]``. See bench/README.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from benchmark import THROUGHPUT, Benchmark, LoadConfig
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
VENV_BIN = PROJECT_DIR / ".venv" / "bin"
PYTHON = VENV_BIN / "python"
GUNICORN = VENV_BIN / "gunicorn"
LOCUST = VENV_BIN / "locust"
LOCUSTFILE = BENCH_DIR / "locustfile.py"

LOOPBACK = "127.0.0.1"
DATABASE_URL_OVERRIDE = "POLKU_BENCH_DATABASE_URL"
DATABASE_SERVER_URL = f"postgres://postgres@{LOOPBACK}:5432"
DATABASE_NAME = "polku_bench"
POSTGRES_IDENTIFIER_LIMIT = 63
GUNICORN_WORKERS = 2
# Workers load the app on their first request, which takes long on a busy machine.
SERVER_START_SECONDS = 120.0
SERVER_STOP_SECONDS = 15.0
LOCUST_GRACE_SECONDS = 60.0
MAX_REQUESTS_PER_RUN = 500_000
PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY")


class HarnessError(Exception):
    """The harness itself could not run; the message says what to look at."""


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str


@dataclass(frozen=True)
class PathStats:
    """Response times (ms) of one path inside the measurement window; None without samples."""

    path: str
    samples: int
    failures: int
    failure_examples: list[str]
    p50_ms: float | None
    p95_ms: float | None
    mean_ms: float | None
    requests_per_second: float


@dataclass(frozen=True)
class DataSet:
    """The synthetic data benchmarks run on: seed_synthetic's seed and extra options."""

    seed: int
    seed_arguments: tuple[str, ...]

    @property
    def seed_command(self) -> list[str]:
        return ["seed_synthetic", "--seed", str(self.seed), *self.seed_arguments]

    @property
    def database_name(self) -> str:
        """``polku_bench`` for the default data; other seeds and options get their own.

        seed_synthetic does nothing when the seed already exists, so reusing a database
        seeded with other options would silently keep the old data.
        """
        parts = [DATABASE_NAME] if self.seed == 1 else [DATABASE_NAME, f"seed{self.seed}"]
        for argument in self.seed_arguments:
            slug = re.sub(r"[^a-z0-9]+", "_", argument.lower()).strip("_")
            if slug:
                parts.append(slug)
        return "_".join(parts)[:POSTGRES_IDENTIFIER_LIMIT]


@dataclass(frozen=True)
class BenchmarkResult:
    benchmark: Benchmark
    database: str
    measured: PathStats
    floor: PathStats
    window_seconds: float
    stopped_by_request_cap: bool
    problems: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems

    @property
    def ratio_p50(self) -> float | None:
        return ratio(self.measured.p50_ms, self.floor.p50_ms)

    @property
    def ratio_p95(self) -> float | None:
        return ratio(self.measured.p95_ms, self.floor.p95_ms)


@dataclass(frozen=True)
class ThroughputLevel:
    """One concurrency level of a throughput benchmark: each path loaded alone."""

    users: int
    measured: PathStats
    floor: PathStats
    stopped_by_request_cap: bool


@dataclass(frozen=True)
class ThroughputResult:
    """How requests per second grow with users, for the page and for the floor."""

    benchmark: Benchmark
    database: str
    workers: int
    levels: list[ThroughputLevel]
    problems: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems

    def scaling(self) -> list[dict[str, float | int | None]]:
        """Per level: requests/s of both paths, each against its own at 1 user, and
        the page's against the floor's at the same level."""
        base = self.levels[0]
        return [
            {
                "users": level.users,
                "value_rps": level.measured.requests_per_second,
                "floor_rps": level.floor.requests_per_second,
                "value_scaling": ratio(
                    level.measured.requests_per_second, base.measured.requests_per_second
                ),
                "floor_scaling": ratio(
                    level.floor.requests_per_second, base.floor.requests_per_second
                ),
                "value_to_floor": ratio(
                    level.measured.requests_per_second, level.floor.requests_per_second
                ),
            }
            for level in self.levels
        ]


@dataclass(frozen=True)
class Preparation:
    """How one data set's database was made ready, with the seconds each step took."""

    database: str
    database_created: bool
    migrate_seconds: float
    seed_seconds: float
    seed_command: list[str]
    seed_output: list[str]


Result = BenchmarkResult | ThroughputResult


def ratio(value: float | None, floor: float | None) -> float | None:
    if value is None or not floor:
        return None
    return value / floor


def split_seed_arguments(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    """Split at the first ``--``: harness options before, seed_synthetic arguments after."""
    if "--" in argv:
        index = list(argv).index("--")
        return list(argv[:index]), list(argv[index + 1 :])
    return list(argv), []


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    """Parse the command line; ``seed_arguments`` holds everything meant for seed_synthetic."""
    own, passed_through = split_seed_arguments(argv)
    parser = argparse.ArgumentParser(
        description="Run Polku's benchmarks against gunicorn on a seeded PostgreSQL database.",
        epilog="Arguments after -- go to manage.py seed_synthetic unchanged.",
    )
    parser.add_argument("--only", action="append", metavar="NAME", help="run only this benchmark")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    parser.add_argument("--seed", type=int, default=1, help="seed_synthetic seed (default 1)")
    parser.add_argument(
        "--clients", type=int, metavar="N", help="pass --clients N to seed_synthetic"
    )
    parser.add_argument(
        "--duration", type=int, metavar="SECONDS", help="override every benchmark's duration"
    )
    arguments = parser.parse_args(own)
    seed_arguments = list(passed_through)
    if arguments.clients is not None:
        seed_arguments += ["--clients", str(arguments.clients)]
    arguments.seed_arguments = seed_arguments
    return arguments


def discover_benchmarks() -> list[Benchmark]:
    """Import every ``bench_*.py`` next to this file; each must define ``BENCHMARK``."""
    benchmarks = []
    for module_path in sorted(BENCH_DIR.glob("bench_*.py")):
        module = importlib.import_module(module_path.stem)
        benchmark = getattr(module, "BENCHMARK", None)
        if not isinstance(benchmark, Benchmark):
            raise HarnessError(f"{module_path.name} defines no BENCHMARK = Benchmark(...).")
        benchmarks.append(benchmark)
    names = [benchmark.name for benchmark in benchmarks]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise HarnessError(f"Benchmark names used twice: {', '.join(duplicates)}.")
    return benchmarks


def select_benchmarks(
    benchmarks: list[Benchmark], only: list[str] | None, duration: int | None
) -> list[Benchmark]:
    if only:
        known = {benchmark.name for benchmark in benchmarks}
        unknown = [name for name in only if name not in known]
        if unknown:
            raise HarnessError(
                f"No benchmark named {', '.join(unknown)}; known: {', '.join(sorted(known))}."
            )
        benchmarks = [benchmark for benchmark in benchmarks if benchmark.name in only]
    if duration is not None:
        try:
            benchmarks = [replace(benchmark, duration_seconds=duration) for benchmark in benchmarks]
        except ValueError as error:
            raise HarnessError(str(error)) from error
    return benchmarks


def group_by_data_set(
    benchmarks: Sequence[Benchmark], seed: int, extra_seed_arguments: Sequence[str]
) -> dict[DataSet, list[Benchmark]]:
    """Group benchmarks by the data they need; command-line seed options apply to all."""
    groups: dict[DataSet, list[Benchmark]] = {}
    for benchmark in benchmarks:
        data_set = DataSet(seed, (*benchmark.seed_arguments, *extra_seed_arguments))
        groups.setdefault(data_set, []).append(benchmark)
    if os.environ.get(DATABASE_URL_OVERRIDE, "").strip() and len(groups) > 1:
        raise HarnessError(
            f"{DATABASE_URL_OVERRIDE} names one database, but these benchmarks need"
            " different data; run them one at a time with --only."
        )
    return groups


def resolve_database_url(data_set: DataSet) -> str:
    override = os.environ.get(DATABASE_URL_OVERRIDE, "").strip()
    if override:
        return override
    return f"{DATABASE_SERVER_URL}/{data_set.database_name}"


def redacted(url: str) -> str:
    """The URL without its password, for printing and results."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.hostname or ""
    if parts.username:
        netloc = f"{parts.username}:***@{netloc}"
    if parts.port:
        netloc = f"{netloc}:{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc))


def ensure_database(url: str) -> bool:
    """Create the database the URL names unless it exists; return whether it was created."""
    if urlsplit(url).scheme not in {"postgres", "postgresql"}:
        raise HarnessError(f"The benchmark database must be PostgreSQL, not {redacted(url)}.")
    name = conninfo_to_dict(url).get("dbname")
    if not name:
        raise HarnessError(f"{redacted(url)} names no database.")
    try:
        with psycopg.connect(
            make_conninfo(url, dbname="postgres"), autocommit=True, connect_timeout=5
        ) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if exists:
                return False
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(str(name))))
            return True
    except psycopg.Error as error:
        raise HarnessError(f"PostgreSQL at {redacted(url)} is not usable: {error}") from error


def subprocess_environment(overrides: Mapping[str, str]) -> dict[str, str]:
    """This process's environment without proxy settings, with ``overrides`` applied."""
    environment = {name: value for name, value in os.environ.items() if name not in PROXY_VARIABLES}
    environment["NO_PROXY"] = environment["no_proxy"] = f"{LOOPBACK},localhost"
    environment.update(overrides)
    return environment


def django_environment(database_url: str) -> dict[str, str]:
    return subprocess_environment(
        {
            "DJANGO_SETTINGS_MODULE": "polku.settings",
            "POLKU_ENVIRONMENT": "development",
            "DATABASE_URL": database_url,
        }
    )


def run_manage(arguments: Sequence[str], database_url: str, *, echo: bool = False) -> list[str]:
    """Run ``manage.py`` against the database; return its output lines (stderr included).

    With ``echo`` the output is printed as it arrives. A non-zero exit raises
    ``HarnessError`` carrying the output.
    """
    command = [str(PYTHON), "manage.py", *arguments]
    lines: list[str] = []
    with subprocess.Popen(
        command,
        cwd=PROJECT_DIR,
        env=django_environment(database_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if echo:
                print(f"    {lines[-1]}", flush=True)
        status = process.wait()
    if status != 0:
        shown = "" if echo else "\n    " + "\n    ".join(lines[-40:])
        raise HarnessError(f"manage.py {' '.join(arguments)} failed (exit {status}).{shown}")
    return lines


def check_seed_arguments(seed_arguments: Sequence[str], database_url: str) -> None:
    """Refuse, before any database is touched, options seed_synthetic does not offer."""
    options = {
        argument.split("=", 1)[0] for argument in seed_arguments if argument.startswith("--")
    }
    if not options:
        return
    help_text = "\n".join(run_manage(["seed_synthetic", "--help"], database_url))
    offered = set(re.findall(r"--[a-z][a-z0-9-]*", help_text))
    missing = sorted(options - offered)
    if missing:
        raise HarnessError(
            f"seed_synthetic does not support {', '.join(missing)} (yet); see"
            " `manage.py seed_synthetic --help`."
        )


def prepare_database(database_url: str, data_set: DataSet) -> Preparation:
    """Create the database if needed, migrate it and seed the data set into it."""
    check_seed_arguments(data_set.seed_arguments, database_url)
    created = ensure_database(database_url)
    print(f"Database {redacted(database_url)} ({'created' if created else 'reused'})")
    started = time.perf_counter()
    run_manage(["migrate", "--noinput"], database_url)
    migrate_seconds = time.perf_counter() - started
    print(f"  migrate: {migrate_seconds:.1f} s")
    print(f"  manage.py {' '.join(data_set.seed_command)}", flush=True)
    started = time.perf_counter()
    seed_output = run_manage(data_set.seed_command, database_url, echo=True)
    seed_seconds = time.perf_counter() - started
    print(f"  seed_synthetic: {seed_seconds:.1f} s")
    return Preparation(
        database=redacted(database_url),
        database_created=created,
        migrate_seconds=migrate_seconds,
        seed_seconds=seed_seconds,
        seed_command=data_set.seed_command,
        seed_output=seed_output,
    )


def synthetic_credentials(database_url: str, seed: int) -> Credentials:
    """The first synthetic professional of the seed, as polku.synthetic.volume defines it."""
    program = (
        "import json; from polku.synthetic.volume import SYNTHETIC_PASSWORD, username_for; "
        f"print(json.dumps([username_for({seed}, 1), SYNTHETIC_PASSWORD]))"
    )
    lines = run_manage(["shell", "--no-imports", "-c", program], database_url)
    try:
        username, password = json.loads(lines[-1])
    except (IndexError, ValueError) as error:
        raise HarnessError(f"Could not read the synthetic login: {lines!r}") from error
    return Credentials(username=username, password=password)


def login_for(benchmark: Benchmark, server: AppServer, credentials: Credentials) -> Credentials:
    """The credentials the benchmark signs in with: the username its ``login_program``
    prints, when it has one, with the synthetic password."""
    if not benchmark.login_program:
        return credentials
    program = ["shell", "--no-imports", "-c", benchmark.login_program]
    lines = run_manage(program, server.database_url)
    username = lines[-1].strip() if lines else ""
    if not username:
        raise HarnessError(f"{benchmark.name}: its login program printed no username")
    print(f"  {benchmark.name}: signing in as {username}", flush=True)
    return dataclasses.replace(credentials, username=username)


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def log_tail(path: Path, lines: int = 30) -> str:
    if not path.exists():
        return ""
    tail = path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
    return "\n    " + "\n    ".join(tail) if tail else ""


class AppServer:
    """gunicorn serving ``polku.wsgi:application`` on a free loopback port.

    A context manager: entering starts it and waits until /healthz answers 200 (or raises
    ``HarnessError``); leaving stops it (SIGTERM, then SIGKILL) whatever happened.
    """

    def __init__(self, database_url: str, log_path: Path, workers: int = GUNICORN_WORKERS) -> None:
        self.database_url = database_url
        self.log_path = log_path
        self.workers = workers
        self.port = free_loopback_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def environment(self) -> dict[str, str]:
        return {
            **django_environment(self.database_url),
            "DEBUG": "false",
            "ALLOWED_HOSTS": f"{LOOPBACK},localhost",
            "POLKU_LOGIN_LOCKOUT": "false",
            "POLKU_REQUIRE_SECOND_FACTOR": "false",
            "LOG_LEVEL": "WARNING",
        }

    def __enter__(self) -> AppServer:
        command = [
            str(GUNICORN),
            "polku.wsgi:application",
            "--bind",
            f"{LOOPBACK}:{self.port}",
            "--workers",
            str(self.workers),
            "--no-control-socket",
            "--log-level",
            "warning",
        ]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command, cwd=PROJECT_DIR, env=self.environment(), stdout=log, stderr=log
            )
        try:
            self.wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self,
        exception_type: type[BaseException] | None,
        exception: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def wait_until_ready(self) -> None:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        deadline = time.monotonic() + SERVER_START_SECONDS
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise HarnessError(
                    f"gunicorn exited with {self.process.returncode} while starting."
                    f"{log_tail(self.log_path)}"
                )
            try:
                with opener.open(f"{self.base_url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        raise HarnessError(
            f"gunicorn did not answer /healthz within {SERVER_START_SECONDS:.0f} s."
            f"{log_tail(self.log_path)}"
        )

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=SERVER_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def path_stats(path: str, recorded: Mapping[str, Any], window_seconds: float) -> PathStats:
    """Summarise one path of the samples file locustfile.py writes."""
    times = [float(value) for value in recorded["times_ms"]]
    failures = int(recorded["failures"])
    examples = [str(example) for example in recorded["failure_examples"]]
    if not times:
        return PathStats(path, 0, failures, examples, None, None, None, 0.0)
    p95 = statistics.quantiles(times, n=100, method="inclusive")[94] if len(times) > 1 else times[0]
    return PathStats(
        path=path,
        samples=len(times),
        failures=failures,
        failure_examples=examples,
        p50_ms=statistics.median(times),
        p95_ms=p95,
        mean_ms=statistics.fmean(times),
        requests_per_second=len(times) / window_seconds if window_seconds > 0 else 0.0,
    )


def resolve_path(benchmark: Benchmark, server: AppServer) -> Benchmark:
    """The benchmark with its path computed by ``path_program`` when it has one."""
    if not benchmark.path_program:
        return benchmark
    path = run_manage(["shell", "--no-imports", "-c", benchmark.path_program], server.database_url)[
        -1
    ].strip()
    print(f"  {benchmark.name}: measuring {path}", flush=True)
    return dataclasses.replace(benchmark, path=path, path_program="")


def run_locust(
    run_name: str,
    benchmark: Benchmark,
    server: AppServer,
    credentials: Credentials,
    work_dir: Path,
    *,
    measured_users: int,
    floor_users: int,
) -> Mapping[str, Any]:
    """Run headless locust once; return its samples file. Raise only if locust broke."""
    samples_file = work_dir / f"{run_name}_samples.json"
    locust_log = RESULTS_DIR / f"{run_name}_locust.log"
    config = LoadConfig(
        measured_path=benchmark.path,
        floor_path=benchmark.floor_path,
        login=benchmark.login,
        floor_login=benchmark.floor_login,
        username=credentials.username,
        password=credentials.password,
        measured_users=measured_users,
        floor_users=floor_users,
        warmup_seconds=benchmark.warmup_seconds,
        max_requests=MAX_REQUESTS_PER_RUN,
        samples_file=str(samples_file),
    )
    users = str(measured_users + floor_users)
    command = [
        str(LOCUST),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--only-summary",
        "-u",
        users,
        "-r",
        users,
        "-t",
        f"{benchmark.duration_seconds}s",
        "--host",
        server.base_url,
        "--csv",
        str(RESULTS_DIR / run_name),
        "--loglevel",
        "WARNING",
    ]
    with locust_log.open("wb") as log:
        try:
            subprocess.run(
                command,
                cwd=PROJECT_DIR,
                env=subprocess_environment(config.to_environment()),
                stdout=log,
                stderr=log,
                timeout=benchmark.duration_seconds + LOCUST_GRACE_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise HarnessError(
                f"locust ran past its time limit for {run_name}.{log_tail(locust_log)}"
            ) from error
    if not samples_file.exists():
        raise HarnessError(f"locust wrote no samples for {run_name}.{log_tail(locust_log)}")
    recorded: Mapping[str, Any] = json.loads(samples_file.read_text(encoding="utf-8"))
    return recorded


def judge(
    recorded: Mapping[str, Any], loaded: Sequence[tuple[str, PathStats]], label: str = ""
) -> list[str]:
    """What makes a run invalid: failed sign-ins, failed requests, paths without samples."""
    prefix = f"{label}: " if label else ""
    problems = [f"{prefix}sign-in failed: {reason}" for reason in recorded["login_failures"]]
    for role, stats in loaded:
        if stats.failures:
            problems.append(
                f"{prefix}{role} path {stats.path}: {stats.failures} failed requests,"
                f" e.g. {'; '.join(stats.failure_examples)}"
            )
        if not stats.samples:
            problems.append(
                f"{prefix}{role} path {stats.path}: no successful samples in the window"
            )
    return problems


def run_benchmark(
    benchmark: Benchmark, server: AppServer, credentials: Credentials, work_dir: Path
) -> BenchmarkResult:
    """Run locust once for the benchmark and judge the outcome; raise only if locust broke."""
    benchmark = resolve_path(benchmark, server)
    print(
        f"Running {benchmark.name}: {benchmark.description}"
        f" ({benchmark.concurrency} users, {benchmark.duration_seconds} s)",
        flush=True,
    )
    recorded = run_locust(
        benchmark.name,
        benchmark,
        server,
        credentials,
        work_dir,
        measured_users=benchmark.users_per_path,
        floor_users=benchmark.users_per_path,
    )
    window = float(recorded["window_seconds"])
    measured = path_stats(benchmark.path, recorded["paths"]["measured"], window)
    floor = path_stats(benchmark.floor_path, recorded["paths"]["floor"], window)
    return BenchmarkResult(
        benchmark=benchmark,
        database=redacted(server.database_url),
        measured=measured,
        floor=floor,
        window_seconds=window,
        stopped_by_request_cap=bool(recorded["stopped_by_request_cap"]),
        problems=judge(recorded, [("measured", measured), ("floor", floor)]),
    )


def run_throughput(
    benchmark: Benchmark, server: AppServer, credentials: Credentials, work_dir: Path
) -> ThroughputResult:
    """For each concurrency level, load the page alone, then the floor alone."""
    benchmark = resolve_path(benchmark, server)
    print(
        f"Running {benchmark.name}: {benchmark.description}"
        f" ({', '.join(map(str, benchmark.concurrency_levels))} users on"
        f" {server.workers} workers, {benchmark.duration_seconds} s per path and level)",
        flush=True,
    )
    levels: list[ThroughputLevel] = []
    problems: list[str] = []
    for users in benchmark.concurrency_levels:
        stats: dict[str, PathStats] = {}
        capped = False
        for role, path in (("measured", benchmark.path), ("floor", benchmark.floor_path)):
            recorded = run_locust(
                f"{benchmark.name}_{users}u_{role}",
                benchmark,
                server,
                credentials,
                work_dir,
                measured_users=users if role == "measured" else 0,
                floor_users=users if role == "floor" else 0,
            )
            window = float(recorded["window_seconds"])
            stats[role] = path_stats(path, recorded["paths"][role], window)
            capped = capped or bool(recorded["stopped_by_request_cap"])
            problems += judge(recorded, [(role, stats[role])], f"{users} users")
        level = ThroughputLevel(users, stats["measured"], stats["floor"], capped)
        levels.append(level)
        print(
            f"  {users} users: {level.measured.requests_per_second:.1f} req/s,"
            f" floor {level.floor.requests_per_second:.1f} req/s",
            flush=True,
        )
    return ThroughputResult(
        benchmark=benchmark,
        database=redacted(server.database_url),
        workers=server.workers,
        levels=levels,
        problems=problems,
    )


def format_ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} ms"


def format_ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


RESULT_COLUMNS = (
    ("name", 16),
    ("p50 value", 10),
    ("p50 floor", 10),
    ("ratio", 8),
    ("p95 value", 10),
    ("p95 floor", 10),
    ("ratio", 8),
    ("value req/s", 12),
    ("floor req/s", 12),
)


def result_line(cells: Sequence[str]) -> str:
    first, *rest = cells
    width, *widths = (width for _, width in RESULT_COLUMNS)
    return f"{first:<{width}}" + "".join(
        f"  {cell:>{width}}" for cell, width in zip(rest, widths, strict=True)
    )


SCALING_COLUMNS = (
    ("users", 5),
    ("value req/s", 12),
    ("value xN/1", 11),
    ("floor req/s", 12),
    ("floor xN/1", 11),
    ("value/floor", 12),
    ("p50 value", 10),
    ("p50 floor", 10),
)


def print_scaling(result: ThroughputResult) -> None:
    """One line per concurrency level: each path's requests/s, its scaling against its own
    throughput at 1 user, and the page's throughput as a share of the floor's."""
    print()
    print(
        f"{result.benchmark.name}: throughput by concurrent users, each path alone"
        f" ({result.workers} gunicorn workers, {os.cpu_count()} CPUs)"
    )
    print("  ".join(f"{title:>{width}}" for title, width in SCALING_COLUMNS))
    for level, row in zip(result.levels, result.scaling(), strict=True):
        cells = [
            str(level.users),
            f"{level.measured.requests_per_second:.1f}",
            format_ratio(row["value_scaling"]),
            f"{level.floor.requests_per_second:.1f}",
            format_ratio(row["floor_scaling"]),
            format_ratio(row["value_to_floor"]),
            format_ms(level.measured.p50_ms),
            format_ms(level.floor.p50_ms),
        ]
        print(
            "  ".join(
                f"{cell:>{width}}" for cell, (_, width) in zip(cells, SCALING_COLUMNS, strict=True)
            )
        )
        if level.stopped_by_request_cap:
            print(f"note: {level.users} users stopped at {MAX_REQUESTS_PER_RUN} requests")


def print_results(results: Sequence[Result]) -> None:
    """Latency benchmarks: one line per result: name, median value and floor, ratio, then
    p95 and requests/s. Throughput benchmarks: a table of concurrency levels each."""
    latency = [result for result in results if isinstance(result, BenchmarkResult)]
    if latency:
        print_latency(latency)
    for result in results:
        if isinstance(result, ThroughputResult):
            print_scaling(result)


def print_latency(results: Sequence[BenchmarkResult]) -> None:
    print()
    print(result_line([title for title, _ in RESULT_COLUMNS]))
    for result in results:
        print(
            result_line(
                [
                    f"{result.benchmark.name}_p50",
                    format_ms(result.measured.p50_ms),
                    format_ms(result.floor.p50_ms),
                    format_ratio(result.ratio_p50),
                    format_ms(result.measured.p95_ms),
                    format_ms(result.floor.p95_ms),
                    format_ratio(result.ratio_p95),
                    f"{result.measured.requests_per_second:.1f}",
                    f"{result.floor.requests_per_second:.1f}",
                ]
            )
        )
    for result in results:
        if result.stopped_by_request_cap:
            print(
                f"note: {result.benchmark.name} stopped at {MAX_REQUESTS_PER_RUN} requests,"
                f" after a {result.window_seconds:.1f} s window"
            )


def result_document(
    result: BenchmarkResult,
) -> dict[str, object]:
    return {
        **asdict(result.benchmark),
        "database": result.database,
        "valid": result.valid,
        "problems": result.problems,
        "window_seconds": result.window_seconds,
        "stopped_by_request_cap": result.stopped_by_request_cap,
        "value": asdict(result.measured),
        "floor": asdict(result.floor),
        "ratio_p50": result.ratio_p50,
        "ratio_p95": result.ratio_p95,
    }


def throughput_document(result: ThroughputResult) -> dict[str, object]:
    return {
        **asdict(result.benchmark),
        "database": result.database,
        "gunicorn_workers": result.workers,
        "valid": result.valid,
        "problems": result.problems,
        "scaling": result.scaling(),
        "levels": [asdict(level) for level in result.levels],
    }


def write_results(
    results: Sequence[Result],
    preparations: Sequence[Preparation],
    started_at: str,
    total_seconds: float,
) -> Path:
    """Write the machine-readable copy of this run to bench/results/latest.json."""
    document = {
        "started_at": started_at,
        "total_seconds": total_seconds,
        "valid": all(result.valid for result in results),
        "environment": {
            "gunicorn_workers": GUNICORN_WORKERS,
            "cpu_count": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "preparations": [asdict(preparation) for preparation in preparations],
        "results": [
            result_document(result) for result in results if isinstance(result, BenchmarkResult)
        ],
        "throughput": [
            throughput_document(result)
            for result in results
            if isinstance(result, ThroughputResult)
        ],
    }
    latest = RESULTS_DIR / "latest.json"
    latest.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return latest


def run_data_set(
    data_set: DataSet, benchmarks: Sequence[Benchmark], work_dir: Path
) -> tuple[Preparation, list[Result]]:
    """Prepare the data set's database, serve it with gunicorn and run its benchmarks
    (one gunicorn per number of workers the benchmarks need)."""
    database_url = resolve_database_url(data_set)
    preparation = prepare_database(database_url, data_set)
    credentials = synthetic_credentials(database_url, data_set.seed)
    by_workers: dict[int, list[Benchmark]] = {}
    for benchmark in benchmarks:
        by_workers.setdefault(workers_for(benchmark), []).append(benchmark)
    results: list[Result] = []
    for workers, members in by_workers.items():
        log_path = RESULTS_DIR / f"gunicorn_{data_set.database_name}_{workers}w.log"
        with AppServer(database_url, log_path, workers) as server:
            print(f"gunicorn ({workers} workers) at {server.base_url}", flush=True)
            for benchmark in members:
                run = run_throughput if benchmark.kind == THROUGHPUT else run_benchmark
                login = login_for(benchmark, server, credentials)
                results.append(run(benchmark, server, login, work_dir))
    return preparation, results


def workers_for(benchmark: Benchmark) -> int:
    """gunicorn workers for the benchmark: its own setting, else as many as CPUs (at least
    2) for throughput benchmarks and ``GUNICORN_WORKERS`` for the others."""
    if benchmark.gunicorn_workers is not None:
        return benchmark.gunicorn_workers
    if benchmark.kind == THROUGHPUT:
        return max(2, os.cpu_count() or 2)
    return GUNICORN_WORKERS


def exit_on_sigterm(signal_number: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signal_number)


def main(argv: Sequence[str]) -> int:
    arguments = parse_arguments(argv)
    try:
        benchmarks = select_benchmarks(discover_benchmarks(), arguments.only, arguments.duration)
    except HarnessError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2
    if arguments.list:
        for benchmark in benchmarks:
            print(
                f"{benchmark.name:<20} {benchmark.path} vs {benchmark.floor_path}:"
                f" {benchmark.description} {' '.join(benchmark.seed_arguments)}".rstrip()
            )
        return 0
    signal.signal(signal.SIGTERM, exit_on_sigterm)
    started_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    started = time.perf_counter()
    RESULTS_DIR.mkdir(exist_ok=True)
    preparations: list[Preparation] = []
    results: list[Result] = []
    try:
        groups = group_by_data_set(benchmarks, arguments.seed, arguments.seed_arguments)
        with tempfile.TemporaryDirectory(prefix="polku-bench-") as work_dir:
            for data_set, members in groups.items():
                preparation, group_results = run_data_set(data_set, members, Path(work_dir))
                preparations.append(preparation)
                results += group_results
    except HarnessError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("bench: interrupted; gunicorn stopped", file=sys.stderr)
        return 130
    total_seconds = time.perf_counter() - started
    print_results(results)
    latest = write_results(results, preparations, started_at, total_seconds)
    print(f"\nWritten {latest.relative_to(PROJECT_DIR)}; total {total_seconds:.0f} s")
    invalid = [result for result in results if not result.valid]
    for result in invalid:
        print(f"bench: {result.benchmark.name} is INVALID:", file=sys.stderr)
        for problem in result.problems:
            print(f"  {problem}", file=sys.stderr)
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
