"""A job coach's caseload page (stage, days in stage, last contact, next step of every
client in coaching) for the coach with 30 clients in coaching, 1,000,000 clients in the
database, against /healthz like the other page benchmarks on that data."""

from benchmark import Benchmark

BENCHMARK = Benchmark(
    name="coach_caseload",
    description="a job coach's caseload of 30 clients in coaching, among 1,000,000 clients",
    path="/coaching/",
    floor_path="/healthz",
    login=True,
    concurrency=2,
    duration_seconds=20,
    seed_arguments=("--clients", "1000000"),
    # The coach seed_synthetic gives the benchmark's caseload of 30.
    login_program=(
        "from polku.synthetic.employment_volume import bench_coach; print(bench_coach())"
    ),
)
