"""The team page's search for new members among 20,000 professionals, for the case
manager of the episode, against the cheapest signed-in page (the floor users sign in too).

The episode is the one of the seed's first professional's active episodes whose client is
served by the most professionals that may join its team (the widest search), and the name
searched is the commonest two-letter beginning of their last names, so that the page lists
a full first page of matches, each with its add form."""

from benchmark import SIGNED_IN_FLOOR, Benchmark

PATH_PROGRAM = """
from collections import Counter
from urllib.parse import urlencode

from polku.accounts.models import User
from polku.pathways.models import CaseManagerAssignment
from polku.pathways.selectors import team_candidates
from polku.policy import decisions
from polku.policy.actors import Actor
from polku.synthetic.volume import username_for

user = User.objects.get(username=username_for(1, 1))
actor = Actor.for_user(user)
widest = None
for assignment in (
    CaseManagerAssignment.objects.filter(
        user=user, ended_at__isnull=True, episode__ended_on__isnull=True
    )
    .select_related("episode__client")
    .order_by("pk")
):
    client = assignment.episode.client
    known = [org.pk for org in decisions.known_serving_organisations(actor, client)]
    size = team_candidates(known).count()
    if widest is None or size > widest[0]:
        widest = (size, assignment.episode, known)
size, episode, known = widest
names = team_candidates(known).values_list("user__search_name", flat=True)
prefix = Counter(name[:2] for name in names).most_common(1)[0][0]
print(f"/episodes/{episode.public_id}/team/?{urlencode({'name': prefix})}")
"""

BENCHMARK = Benchmark(
    name="team_search",
    description="team member search among 20,000 professionals, against a signed-in floor",
    path="/episodes/<public id>/team/?name=<two letters>",
    floor_path=SIGNED_IN_FLOOR,
    login=True,
    floor_login=True,
    concurrency=2,
    duration_seconds=20,
    seed_arguments=("--clients", "20000"),
    path_program=PATH_PROGRAM,
)
