"""Throughput of one client's pathway page at 1, 2, 4 and 8 concurrent users, against
/healthz's at the same levels, on 20,000 clients."""

from bench_client_pathway import BENCHMARK as PATHWAY
from benchmark import THROUGHPUT, Benchmark

BENCHMARK = Benchmark(
    name="client_pathway_scaling",
    description="pathway page throughput by concurrent users, 20,000 clients",
    path=PATHWAY.path,
    floor_path="/healthz",
    login=True,
    kind=THROUGHPUT,
    concurrency=8,
    concurrency_levels=(1, 2, 4, 8),
    duration_seconds=20,
    seed_arguments=("--clients", "20000"),
    path_program=PATHWAY.path_program,
)
