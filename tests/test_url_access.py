"""Every URL that takes the id of client data, requested as every demo user with every id.

The URLs come from the resolver, so a new page is covered (or refused as unclassified) the
day it is added. For each request:

* an outsider (the policy's access function for the object says 404) gets 404, and the
  request writes no access-log row and changes nothing;
* 403 (or 409, for an object whose state does not allow the page) only to a user who may
  see the object;
* a 2xx or 3xx writes only access-log rows that name the object's client, with a ground,
  and the relationship, consent or referral that ground rests on (of that client and the
  row's organisation); a 200 writes at least one; a GET changes nothing but the log.

POSTs (the forms and actions on these pages) are made as every outsider: 404, nothing
changed, no row.

The demo (``load_instruments`` and ``seed_demo``, as ``make demo``) is built once per
module inside a transaction that is rolled back at the end, so each worker builds it once
and the database is left as it was.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Max
from django.http import Http404
from django.test import Client as DjangoClient
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from polku.accounts.models import User
from polku.audit.models import AccessLogEntry
from polku.clients.access import access_consent, access_relationship
from polku.clients.models import Client
from polku.employment.access import access_coaching, access_placement, access_work_trial
from polku.employment.models import Coaching, Placement, WorkTrial
from polku.measures.access import access_measurement
from polku.measures.models import Administration
from polku.pathways.access import access_episode, access_handover, access_referral
from polku.pathways.models import Episode, Handover, Referral
from polku.policy import decisions
from polku.policy.actors import Actor
from polku.policy.enums import Action, BasisKind, DataCategory
from polku.policy.models import Consent, ReferralGrant, ServiceRelationship
from polku.projects.access import access_participant
from polku.projects.models import Participant
from polku.synthetic.demo import DEMO_PROFESSIONALS

USERNAMES = [person.username for person in DEMO_PROFESSIONALS]

# Apps whose tables hold client data (and the log of it).
CLIENT_DATA_APPS = ("clients", "policy", "pathways", "measures", "employment", "projects")
LOG_APPS = ("audit",)

# URL parameters that are not the id of client data, by URL name, with the reason.
NOT_CLIENT_DATA = {
    # A password-reset link's user and token.
    "accounts:password_reset_confirm",
    # An instrument's code and version: configuration, not a client's.
    "measures:instrument_wording",
    "measures:instrument_fhir",
    # A single-use link's token: opens one measurement to its holder, without sign-in
    # (measures/tests/test_answering.py).
    "measures:public_answer",
    # A work trial's feedback link's token: opens one trial to the host's contact person,
    # without sign-in, while the client's consent lasts (employment/tests/test_worktrial_link.py).
    "employment:host_feedback",
    # An employer: shared master data, not a client's; its page shows only the acting
    # organisation's own contact log (employment/tests/test_employers_views.py).
    "employment:employer",
    "employment:employer_edit",
    # A unit and a fidelity review of it: the service's quality review, not client data;
    # only the unit's own organisation reads or scores it, others get 404
    # (employment/tests/test_fidelity_views.py).
    "employment:fidelity_start",
    "employment:fidelity_review",
    # An item of the fidelity scale: configuration (its wording), for administrators.
    "employment:fidelity_item_wording",
    # A project's participant list (and its export) and enrolling a client in a project:
    # named by the project, only its staff get past the project (others 404), and the
    # client's id is asked of the policy like any client's page; swept by actor in
    # projects/tests/test_participant_policy.py and test_participant_views.py.
    "projects:participants",
    "projects:enrol",
    # A project's or a programme's ESF+ indicators: counts only, never a participant; the
    # project's staff, partners' staff and coordinators read them, others get 404
    # (projects/tests/test_indicators_pages.py).
    "projects:project_indicators",
    "projects:programme_indicators",
    # A project's goals, actions and results with their evidence, and its communication
    # and evaluation plans: the project's own plan and counts over its participants, never
    # a client's data; anyone who may not read the project gets 404
    # (projects/tests/test_tracking_pages.py, projects/tests/test_plans.py).
    "projects:goals",
    "projects:goal",
    "projects:action",
    "projects:result",
    "projects:evidence_document",
    "projects:communication",
    "projects:communication_row",
    "projects:evaluation",
    "projects:evaluation_row",
    # A programme's and a project's own pages (description, staff, budget, counts) and its
    # reporting periods and reports (counts only; small ones withheld from all but managers
    # and coordinators): no client's data; anyone who may not read them gets 404
    # (projects/tests/test_project_*.py, test_programme_*.py, test_periods.py).
    "projects:programme",
    "projects:project",
    "projects:project_edit",
    "projects:staff",
    "projects:end_staff",
    "projects:periods",
    "projects:close_period",
    "projects:report_file",
    # A research study: configuration (its permit, variables and extracts made), read by
    # administrators and the disclosing organisation's analysts, others 404; its extract
    # is made by those analysts only and logs every person in it
    # (insights/tests/test_research_pages.py, test_research_extracts.py).
    "insights:study",
    "insights:study_approve",
    "insights:study_close",
    "insights:study_extract",
}


@dataclass(frozen=True)
class Route:
    name: str
    route: str
    parameters: frozenset[str]

    def __str__(self) -> str:
        return self.name


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern) and entry.pattern.converters:
            yield Route(f"{namespace}{entry.name}", route, frozenset(entry.pattern.converters))


def _kind(route: Route) -> str | None:
    """What a URL's parameters name: the kind of client data, or None for other things."""
    if route.name in NOT_CLIENT_DATA or route.name.startswith("admin:"):
        return None
    if "handover_id" in route.parameters:
        return "handover"
    if "consent_id" in route.parameters:
        return "consent"
    if "relationship_id" in route.parameters:
        return "relationship"
    if route.parameters == {"public_id"}:
        for prefix, kind in (
            ("clients/<uuid:public_id>/", "client"),
            ("episodes/<uuid:public_id>/", "episode"),
            ("referrals/<uuid:public_id>/", "referral"),
            ("measures/<uuid:public_id>/", "measurement"),
            ("coaching/<uuid:public_id>/", "coaching"),
            ("placements/<uuid:public_id>/", "placement"),
            ("work-trials/<uuid:public_id>/", "work_trial"),
            ("projects/participants/<uuid:public_id>/", "participant"),
        ):
            if route.route.startswith(prefix):
                return kind
    raise AssertionError(
        f"{route.name} ({route.route}) takes {sorted(route.parameters)}: say which client "
        "data it names, or why it names none (NOT_CLIENT_DATA)."
    )


ROUTES = [route for route in _walk(get_resolver().url_patterns) if _kind(route)]
# The kinds of client data that the access policy names.
KINDS = (
    "client",
    "consent",
    "relationship",
    "episode",
    "referral",
    "measurement",
    "handover",
    "coaching",
    "placement",
    "work_trial",
    "participant",
)


def _declared_purpose(route: Route) -> Any:
    path = re.sub(r"<uuid:\w+>", "00000000-0000-0000-0000-000000000000", route.route)
    view = get_resolver().resolve("/" + path.replace("<int:handover_id>", "1")).func
    return getattr(view, "polku_purpose", None)


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_every_page_of_client_data_declares_the_purpose_it_serves(route):
    assert _declared_purpose(route), f"{route} declares no purpose (@serves)"


@dataclass(frozen=True)
class Target:
    """One object of one kind: its URL arguments, its client, and whether an actor may see it."""

    kwargs: dict[str, Any]
    client: Client
    may_see: Callable[[Actor], bool]


def _sees(access: Callable[[], object]) -> bool:
    """Whether the access function lets the actor view the object (refused either way, no)."""
    try:
        access()
    except (Http404, PermissionDenied):
        return False
    return True


def _targets(kind: str) -> list[Target]:
    if kind == "client":
        return [
            Target(
                {"public_id": c.public_id},
                c,
                lambda actor, c=c: bool(
                    decisions.decide(actor, c, action=Action.VIEW, category=DataCategory.BASIC)
                ),
            )
            for c in Client.objects.filter(merged_into__isnull=True).order_by("pk")
        ]
    if kind in {"consent", "relationship"}:
        # Records named after their client: /clients/<client>/<kind>s/<record>/.
        model, access = {
            "consent": (Consent, access_consent),
            "relationship": (ServiceRelationship, access_relationship),
        }[kind]
        return [
            Target(
                {"public_id": r.client.public_id, f"{kind}_id": r.public_id},
                r.client,
                lambda actor, r=r, access=access: _sees(
                    lambda: access(actor, r.client.public_id, r.public_id)
                ),
            )
            for r in model.objects.select_related("client").order_by("pk")  # type: ignore[attr-defined]
        ]
    if kind == "handover":
        return [
            Target(
                {"handover_id": h.pk},
                h.episode.client,
                lambda actor, h=h: _sees(lambda: access_handover(actor, h.pk)),
            )
            for h in Handover.objects.select_related("episode__client").order_by("pk")
        ]
    model, access = {
        "episode": (Episode, access_episode),
        "referral": (Referral, access_referral),
        "measurement": (Administration, access_measurement),
        "coaching": (Coaching, access_coaching),
        "placement": (Placement, access_placement),
        "work_trial": (WorkTrial, access_work_trial),
        "participant": (Participant, access_participant),
    }[kind]
    return [
        Target(
            {"public_id": o.public_id},
            o.client,
            lambda actor, o=o, access=access: _sees(lambda: access(actor, o.public_id)),
        )
        for o in model.objects.select_related("client").order_by("pk")  # type: ignore[attr-defined]
    ]


def _tables(app_labels: tuple[str, ...]) -> frozenset[str]:
    return frozenset(
        model._meta.db_table
        for label in app_labels
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    )


WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


def _written(queries: CaptureQueriesContext, tables: frozenset[str]) -> set[str]:
    """The tables of ``tables`` that the captured statements wrote to (even if the write
    was rolled back: a refused or read-only request has no business writing at all)."""
    return {
        match[1]
        for query in queries.captured_queries
        if (match := WRITE.match(query["sql"])) and match[1] in tables
    }


CLIENT_DATA_TABLES = _tables(CLIENT_DATA_APPS)
LOG_TABLES = _tables(LOG_APPS)


def _last_log_row() -> int:
    return AccessLogEntry.objects.aggregate(last=Max("pk"))["last"] or 0


GROUND_OF = {
    BasisKind.SERVICE_RELATIONSHIP: lambda row: ServiceRelationship.objects.filter(
        public_id=row.basis_public_id,
        client__public_id=row.client_public_id,
        organisation_id=row.organisation_id,
    ),
    BasisKind.CONSENT: lambda row: Consent.objects.filter(
        public_id=row.basis_public_id,
        client__public_id=row.client_public_id,
        recipient_id=row.organisation_id,
    ),
    BasisKind.REFERRAL: lambda row: ReferralGrant.objects.filter(
        public_id=row.basis_public_id,
        client__public_id=row.client_public_id,
        receiver_id=row.organisation_id,
    ),
}


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo data, in a transaction rolled back after the module's tests."""
    with django_db_blocker.unblock(), transaction.atomic():
        # A transactional test before this module may have flushed the migrations' rows.
        for name in (
            "polku.pathways.migrations.0002_programmes",
            "polku.measures.migrations.0002_default_schedules",
        ):
            importlib.import_module(name).create(apps, None)
        call_command("load_instruments", verbosity=0, stdout=_Sink())
        call_command("seed_demo", verbosity=0, stdout=_Sink())
        yield
        transaction.set_rollback(True)


class _Sink:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass


@pytest.fixture
def signed_in(demo: None, db: None, client: DjangoClient) -> Callable[[str], tuple[User, Actor]]:
    def sign_in(username: str) -> tuple[User, Actor]:
        user = User.objects.get(username=username)
        client.force_login(user)
        return user, Actor.for_user(user)

    return sign_in


def test_every_url_with_a_client_data_id_is_classified() -> None:
    # given the resolver's URL patterns, when they are classified, then every kind of
    # client data named in the access policy has at least one page
    kinds = {_kind(route) for route in ROUTES}

    assert kinds == set(KINDS)


def _check_rows(rows: list[AccessLogEntry], user: User, target: Target, where: str) -> None:
    for row in rows:
        assert row.client_public_id == target.client.public_id, where
        assert (row.actor_kind, row.actor_id) == ("professional", str(user.pk)), where
        assert row.basis, where
        ground = GROUND_OF.get(BasisKind(row.basis))
        if ground is not None:
            assert row.basis_public_id is not None, where
            assert ground(row).exists(), where


@pytest.mark.parametrize("username", USERNAMES)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_get_as_every_demo_user(
    route: Route,
    username: str,
    signed_in: Callable[[str], tuple[User, Actor]],
    client: DjangoClient,
) -> None:
    # given the demo, signed in as one demo user acting for the page's purpose, and every
    # object the URL can name
    user, actor = signed_in(username)
    actor = actor.for_purpose(_declared_purpose(route))
    targets = _targets(_kind(route) or "")
    assert targets, f"the demo has no {_kind(route)} for {route}"
    for target in targets:
        may_see = target.may_see(actor)
        url = reverse(route.name, kwargs=target.kwargs)
        where = f"GET {url} ({route}) as {username}"
        last_row = _last_log_row()

        # when the user opens the page
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)

        # then an outsider learns nothing and leaves no trace; anyone else is logged
        rows = list(AccessLogEntry.objects.filter(pk__gt=last_row).order_by("pk"))
        assert _written(queries, CLIENT_DATA_TABLES) == set(), where
        if response.status_code == 405:  # a form's target that only takes POST
            assert rows == [], where
        elif not may_see:
            assert response.status_code == 404, where
            assert rows == [], where
        else:
            # 409: the object's state does not allow the page (a link for a completed
            # measurement), said only to those who may see it.
            assert response.status_code in {200, 302, 403, 404, 409}, where
            if response.status_code in {403, 404, 409}:
                assert rows == [], where
            if response.status_code == 200:
                assert rows, where
            _check_rows(rows, user, target, where)


# The forms a page posts, where the page dispatches on them after its access check, so that
# every action behind the URL is tried (the episode page checks before it dispatches).
POSTS: dict[str, list[dict[str, str]]] = {
    "pathways:referral": [{"form": form} for form in ("accept", "receive", "complete", "withdraw")],
    "pathways:episode": [{"form": "phase"}],
    "pathways:team": [{"form": "add"}, {"form": "remove"}],
    # The acts with a confirmation: the first step and the confirmed one.
    "pathways:episode_end": [
        {"end-end_reason": "other"},
        {"end-end_reason": "other", "confirm": "1"},
    ],
    "pathways:referral_decline": [
        {"decline-decline_ground": "other", "decline-decline_reason": "–"},
        {"decline-decline_ground": "other", "decline-decline_reason": "–", "confirm": "1"},
    ],
    "clients:consent_withdraw": [
        {"withdrawal_method": "phone"},
        {"withdrawal_method": "phone", "confirm": "1"},
    ],
    "clients:relationship_end": [{"end_reason": "other"}, {"end_reason": "other", "confirm": "1"}],
    "clients:relationship": [{"reason": "–"}],
    "pathways:answer_handover": [{"answer": "accept"}, {"answer": "decline"}],
    "measures:answer": [{"submit": "1"}],
    "measures:link": [{}, {"send": "sms"}, {"send": "email"}],
    "employment:coaching": [
        {"form": form} for form in ("stage", "profile", "contact", "follow_up")
    ],
    "employment:start_placement": [{"kind": "education"}],
    "employment:end_placement": [{"end_reason": "other"}],
    "employment:work_trial": [
        {"form": form} for form in ("edit", "consent", "send", "withdraw", "self_rating")
    ],
    "employment:new_work_trial": [{}],
    "projects:participant_entry": [{"entry-entered_on": "2026-03-02"}],
    "projects:participant_sensitive": [{"sensitive-disability": "yes"}],
    "projects:participant_exit": [{"exit-left_on": "2026-06-30"}],
    "projects:participant_follow_up": [{"follow_up-observed_on": "2026-12-01"}],
    "employment:end_coaching": [
        {"end-transition": "education"},
        {"end-transition": "education", "confirm": "1"},
    ],
}


@pytest.mark.parametrize("username", USERNAMES)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_post_as_every_outsider(
    route: Route,
    username: str,
    signed_in: Callable[[str], tuple[User, Actor]],
    client: DjangoClient,
) -> None:
    # given the demo, signed in as one demo user acting for the page's purpose, and every
    # object the user may not see
    _user, actor = signed_in(username)
    actor = actor.for_purpose(_declared_purpose(route))
    outside = [t for t in _targets(_kind(route) or "") if not t.may_see(actor)]
    for target in outside:
        url = reverse(route.name, kwargs=target.kwargs)
        for data in POSTS.get(route.name, [{}]):
            where = f"POST {url} {data} ({route}) as {username}"
            # when the user posts the page's form
            with CaptureQueriesContext(connection) as queries:
                response = client.post(url, data)

            # then the answer is 404 and nothing changed, not even the log
            assert response.status_code == 404, where
            assert _written(queries, CLIENT_DATA_TABLES | LOG_TABLES) == set(), where


# Pages of aggregates: they take no id of client data and name no client, only counts of
# the organisation the reader acts for (``decisions.aggregate_organisations``,
# ``decisions.may_read_employment_outcomes``), so the sweep above does not reach them. Each
# is opened by every demo user, with each of its queries: a page or a refusal, and nothing
# written, not even the log (no client is read).
AGGREGATE_PAGES: dict[str, list[dict[str, str]]] = {
    "measures:groups": [{}],
    "employment:outcomes": [
        {},
        {"kind": "quarter"},
        {"kind": "month", "format": "xlsx"},
        {"kind": "month", "period": "2026-13"},
    ],
}


@pytest.mark.parametrize("username", USERNAMES)
@pytest.mark.parametrize("name", sorted(AGGREGATE_PAGES))
def test_aggregate_pages_as_every_demo_user(
    name: str,
    username: str,
    signed_in: Callable[[str], tuple[User, Actor]],
    client: DjangoClient,
) -> None:
    signed_in(username)
    for query in AGGREGATE_PAGES[name]:
        where = f"GET {name} {query} as {username}"
        last_row = _last_log_row()

        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name), query)

        assert response.status_code in {200, 400, 403}, where
        assert _written(queries, CLIENT_DATA_TABLES | LOG_TABLES) == set(), where
        assert _last_log_row() == last_row, where


def test_the_sweep_sees_both_sides(signed_in: Callable[[str], tuple[User, Actor]]) -> None:
    # given the demo, when every demo user is asked about every object, then some may see
    # and some may not, for every kind (so that neither half of the sweep is empty)
    actors = [signed_in(username)[1] for username in USERNAMES]
    for kind in KINDS:
        answers = {target.may_see(actor) for target in _targets(kind) for actor in actors}
        assert answers == {True, False}, kind
