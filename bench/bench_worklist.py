"""The worklist (home page) of a case manager with about 60 clients, 1,000,000 clients in
the database, against /healthz."""

from benchmark import Benchmark

BENCHMARK = Benchmark(
    name="worklist",
    description="worklist of a case manager with ~60 clients among 1,000,000",
    path="/",
    floor_path="/healthz",
    login=True,
    concurrency=2,
    duration_seconds=20,
    seed_arguments=("--clients", "1000000"),
)
