"""Client search by last name on the 1,000,000-client database, against /healthz."""

from benchmark import Benchmark

BENCHMARK = Benchmark(
    name="client_search",
    description="client search by a common last name among 1,000,000 clients",
    path="/clients/?q=<the most common last name among the professional's clients>",
    floor_path="/healthz",
    login=True,
    concurrency=2,
    duration_seconds=20,
    seed_arguments=("--clients", "1000000"),
    path_program=(
        "from django.db.models import Count; "
        "from polku.accounts.models import User; from polku.clients.models import Client; "
        "from polku.synthetic.volume import username_for; "
        "user = User.objects.get(username=username_for(1, 1)); "
        "top = Client.objects.visible_to(user).values('last_name')"
        ".annotate(n=Count('id')).order_by('-n').first(); "
        "print('/clients/?q=' + top['last_name'])"
    ),
)
