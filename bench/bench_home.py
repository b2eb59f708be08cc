"""The home page of a signed-in professional, against /healthz, under concurrent load."""

from benchmark import Benchmark

BENCHMARK = Benchmark(
    name="home_page",
    description="home page of a logged-in professional under concurrent load",
    path="/",
    floor_path="/healthz",
    login=True,
    concurrency=2,
    duration_seconds=20,
)
