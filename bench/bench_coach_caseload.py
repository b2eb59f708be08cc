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
    # The coach seed_synthetic gives the benchmark's caseload: the most open coachings.
    login_program=(
        "from django.db.models import Count; "
        "from polku.employment.models import Coaching; "
        "row = Coaching.objects.filter(ended_on__isnull=True).values('coach__username')"
        ".annotate(n=Count('pk')).order_by('-n', 'coach__username').first(); "
        "print(row['coach__username'])"
    ),
)
