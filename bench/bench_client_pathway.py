"""One client's pathway page (episodes, timeline, referrals) for their case manager,
1,000,000 clients in the database, against /healthz."""

from benchmark import Benchmark

BENCHMARK = Benchmark(
    name="client_pathway",
    description="pathway page of one of a case manager's clients among 1,000,000",
    path="/clients/<public id>/pathway/",
    floor_path="/healthz",
    login=True,
    concurrency=2,
    duration_seconds=20,
    seed_arguments=("--clients", "1000000"),
    path_program=(
        "from polku.pathways.models import CaseManagerAssignment; "
        "from polku.synthetic.volume import username_for; "
        "a = CaseManagerAssignment.objects.filter(user__username=username_for(1, 1), "
        "ended_at__isnull=True).select_related('episode__client').order_by('pk').first(); "
        "print(f'/clients/{a.episode.client.public_id}/pathway/')"
    ),
)
