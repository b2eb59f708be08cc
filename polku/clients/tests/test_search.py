"""Search shows only clients within the policy; an identity code reveals existence only."""

from __future__ import annotations

import re
import string
import time
from datetime import date

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polku.audit.models import AccessLogEntry
from polku.clients.models import Client
from polku.clients.selectors import search_clients
from polku.clients.services import RelationshipTerms, register_client
from polku.policy.actors import Actor
from polku.policy.enums import LegalBasis, Register

from .conftest import SYNTHETIC_CODE

pytestmark = pytest.mark.django_db


def last_number() -> int:
    """The newest log row's number (numbers come from a sequence that rollbacks do not reset)."""
    return (
        AccessLogEntry.objects.order_by("sequence").values_list("sequence", flat=True).last() or 0
    )


def search(client, query):
    return client.post(reverse("clients:search"), {"q": query})


def test_a_name_finds_the_client_and_logs_one_row_per_listed_client(client, world):
    client.force_login(world.worker_a)
    before = last_number()

    response = search(client, "testinen aino")

    assert "Testinen, Aino Maria" in response.content.decode()
    rows = AccessLogEntry.objects.filter(sequence__gt=before)
    assert [(row.action, row.client_public_id) for row in rows] == [
        ("list", world.client.public_id)
    ]


def test_a_birth_date_finds_the_client(client, world):
    client.force_login(world.worker_a)

    assert "Testinen, Aino Maria" in search(client, "1.1.1980").content.decode()


def test_an_unrelated_professional_finds_nothing_by_name_and_no_row_is_written(client, world):
    client.force_login(world.worker_c)
    before = AccessLogEntry.objects.count()

    response = search(client, "Testinen")

    page = response.content.decode()
    assert "No client that you may see matches" in page
    assert "Aino Maria" not in page
    assert AccessLogEntry.objects.count() == before


def test_a_full_identity_code_of_an_unrelated_person_offers_only_a_new_relationship(client, world):
    client.force_login(world.worker_c)

    response = search(client, SYNTHETIC_CODE)

    page = response.content.decode()
    assert "A person with this identity code exists" in page
    assert "Start a service relationship" in page
    assert "Sosiaalipalvelut A" not in page
    assert "040 000 0901" not in page
    assert str(world.client.public_id) not in page
    row = AccessLogEntry.objects.latest("sequence")
    assert (row.action, row.actor_id, row.client_public_id) == (
        "lookup",
        str(world.worker_c.pk),
        world.client.public_id,
    )


def lookup(client, code=SYNTHETIC_CODE) -> str:
    """Look a person up by identity code and return the page's token for starting one."""
    page = search(client, code).content.decode()
    match = re.search(r'name="lookup" value="([^"]+)"', page)
    assert match, "the lookup page offers no relationship"
    return match.group(1)


def start(client, world, token: str):
    return client.post(
        reverse("clients:start_relationship"),
        {
            "lookup": token,
            "organisation": world.org_c.pk,
            "register": "other",
            "legal_basis": "client_agreement",
        },
    )


def test_starting_a_relationship_from_the_lookup_attaches_it(client, world):
    client.force_login(world.worker_c)

    response = start(client, world, lookup(client))

    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_the_lookup_page_carries_no_identity_code(client, world):
    client.force_login(world.worker_c)

    page = search(client, SYNTHETIC_CODE).content.decode()

    assert 'name="identity_code"' not in page
    assert SYNTHETIC_CODE not in page.split('name="lookup"')[1]


@pytest.mark.parametrize(
    "token",
    ["", "x", "eyJwZXJzb24iOiJ4In0:1abc:forged", SYNTHETIC_CODE],
    ids=["empty", "garbage", "forged", "a bare identity code"],
)
def test_only_a_lookup_starts_a_relationship_and_a_refusal_changes_nothing(client, world, token):
    client.force_login(world.worker_c)
    before = (last_number(), world.client.service_relationships.count())

    response = start(client, world, token)

    assert response.status_code == 404
    assert (last_number(), world.client.service_relationships.count()) == before


def test_another_users_lookup_does_not_start_a_relationship(client, world):
    client.force_login(world.worker_c)
    token = lookup(client)
    client.force_login(world.worker_a)
    before = world.client.service_relationships.count()

    assert start(client, world, token).status_code == 404
    assert world.client.service_relationships.count() == before


def test_an_old_lookup_asks_to_search_again(client, world, monkeypatch):
    client.force_login(world.worker_c)
    token = lookup(client)
    later = time.time() + 16 * 60
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    before = world.client.service_relationships.count()

    response = start(client, world, token)

    assert response.status_code == 302
    assert response["Location"] == reverse("clients:search")
    assert world.client.service_relationships.count() == before


def test_a_malformed_identity_code_gets_its_message(client, world):
    client.force_login(world.worker_a)

    response = search(client, "010180-9016")

    assert "The check character does not match" in response.content.decode()


CLIENT_NAMES = ["Aalto", "Berg", "Castrén", "Niemi", "Niemelä", "Öhman"]


@pytest.fixture
def crowd(world):
    """Clients of A and of B, so that a search has something to reveal wrongly."""
    for index, last_name in enumerate(CLIENT_NAMES):
        for organisation, user in ((world.org_a, world.worker_a), (world.org_b, world.worker_b)):
            register_client(
                actor=Actor.for_user(user),
                terms=RelationshipTerms(
                    organisation=organisation,
                    register=Register.OTHER,
                    legal_basis=LegalBasis.CLIENT_AGREEMENT,
                ),
                first_names=f"{organisation.name[:5]}",
                last_name=last_name,
                birth_date=date(1970 + index, 1, 1),
            )
    return world


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    query=st.one_of(
        st.sampled_from([*CLIENT_NAMES, "Työ", "Sosia", "a", "ni", "1.1.1970", "1.1.1980"]),
        st.text(alphabet=string.ascii_letters + "äöÅ .-", min_size=1, max_size=8),
    ),
    who=st.sampled_from(["worker_a", "worker_b", "worker_c", "analyst_a", "admin"]),
)
def test_no_search_reveals_a_client_beyond_the_policy(crowd, query, who):
    user = getattr(crowd, who)
    allowed = set(Client.objects.visible_to(Actor.for_user(user)).values_list("pk", flat=True))
    with transaction.atomic():
        result = search_clients(Actor.for_user(user), query)
        transaction.set_rollback(True)

    assert {found.pk for found in result.clients} <= allowed
    assert result.unrelated_person is None


def test_a_search_by_identity_code_is_posted_and_leaves_the_code_in_no_log_column_or_url(
    client, world
):
    client.force_login(world.worker_c)
    before = last_number()

    response = search(client, SYNTHETIC_CODE)

    page = response.content.decode()
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == reverse("clients:search")
    assert response.request["QUERY_STRING"] == ""
    assert 'method="post" action="/clients/"' in page
    assert not re.search(rf'(href|action)="[^"]*{SYNTHETIC_CODE}', page)
    rows = list(AccessLogEntry.objects.filter(sequence__gt=before).values())
    assert [row["action"] for row in rows] == ["lookup"]
    assert [
        (name, value) for row in rows for name, value in row.items() if SYNTHETIC_CODE in str(value)
    ] == []


def test_an_identity_code_in_the_page_address_is_refused_and_not_searched(client, world):
    client.force_login(world.worker_c)
    before = AccessLogEntry.objects.count()

    response = client.get(reverse("clients:search"), {"q": SYNTHETIC_CODE})

    assert response.status_code == 400
    assert "Search by identity code with the search form" in response.content.decode()
    assert "Testinen" not in response.content.decode()
    assert AccessLogEntry.objects.count() == before


def test_a_name_in_the_page_address_still_searches(client, world):
    client.force_login(world.worker_a)

    response = client.get(reverse("clients:search"), {"q": "Testinen"})

    assert "Testinen, Aino Maria" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("ohman", "Öhman"),
        ("ÖHMAN", "Öhman"),
        ("Öhm", "Öhman"),
        ("castren", "Castrén"),
        ("niemela", "Niemelä"),
    ],
)
def test_a_name_is_found_whatever_its_case_and_accents(crowd, query, found):
    result = search_clients(Actor.for_user(crowd.worker_a), query)

    assert [client.last_name for client in result.clients] == [found]
