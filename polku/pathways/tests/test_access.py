"""Every pathway URL that shows client data: outsiders get 404 and leave no row; the case
manager's look leaves exactly one row; the worklist logs each listed client once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from polku.audit.models import AccessLogEntry
from polku.clients.services import record_consent
from polku.pathways import services
from polku.policy.enums import ConsentMethod, DataCategory, Purpose

pytestmark = pytest.mark.django_db


def last_number() -> int:
    """The newest log row's number (numbers come from a sequence that rollbacks do not reset)."""
    return (
        AccessLogEntry.objects.order_by("sequence").values_list("sequence", flat=True).last() or 0
    )


@pytest.fixture
def urls(team):
    episode = services.open_episode(
        actor=team.actor(),
        client=team.client,
        programme=team.programme,
        organisation=team.org_a,
        case_manager=team.manager,
    )
    services.save_plan(actor=team.actor(), episode=episode, goals=[services.GoalInput("Töihin")])
    record_consent(
        actor=team.actor(),
        client=team.client,
        discloser=team.org_a,
        recipient=team.org_b,
        purpose=Purpose.SERVICE_COORDINATION,
        categories=[DataCategory.BASIC],
        method=ConsentMethod.IN_PERSON,
    )
    referral = services.send_referral(
        actor=team.actor(),
        client=team.client,
        from_organisation=team.org_a,
        to_organisation=team.org_b,
        reason="Arvio",
        urgency="normal",
        shared_categories=[],
    )
    client_id, episode_id = team.client.public_id, episode.public_id
    return [
        reverse("pathways:client_pathway", kwargs={"public_id": client_id}),
        reverse("pathways:open_episode", kwargs={"public_id": client_id}),
        reverse("pathways:referral_create", kwargs={"public_id": client_id}),
        reverse("pathways:journal_create", kwargs={"public_id": client_id}),
        reverse("pathways:episode", kwargs={"public_id": episode_id}),
        reverse("pathways:plan_edit", kwargs={"public_id": episode_id}),
        reverse("pathways:plan_review", kwargs={"public_id": episode_id}),
        reverse("pathways:plan_print", kwargs={"public_id": episode_id}),
        reverse("pathways:referral", kwargs={"public_id": referral.public_id}),
    ]


def test_an_outsider_gets_not_found_everywhere_and_leaves_no_row(client, team, urls):
    client.force_login(team.outsider)
    before = AccessLogEntry.objects.count()

    for url in urls:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Polkunen" not in response.content.decode()

    assert AccessLogEntry.objects.count() == before


def test_each_look_by_the_case_manager_leaves_one_row_per_ground_shown(client, team, urls):
    client.force_login(team.manager)
    for url in urls:
        before = last_number()

        response = client.get(url)

        assert response.status_code == 200, url
        rows = list(AccessLogEntry.objects.filter(sequence__gt=before))
        assert rows, url
        assert {(row.action, row.client_public_id, row.actor_id) for row in rows} == {
            ("view", team.client.public_id, str(team.manager.pk))
        }, url
        grounds = [(r.basis, r.basis_public_id, r.owner_id, r.register) for r in rows]
        assert all(basis == "service_relationship" for basis, *_rest in grounds), url
        assert len(set(grounds)) == len(grounds), url


def test_the_plan_pdf_is_a_pdf(client, team, urls):
    client.force_login(team.manager)
    print_url = next(url for url in urls if url.endswith("/plan/print/"))

    response = client.get(print_url, {"format": "pdf"})

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_worklist_lists_the_case_managers_clients_and_logs_each_once(client, team, urls):
    client.force_login(team.manager)
    before = last_number()

    page = client.get("/").content.decode()

    assert "Polkunen, Pauli" in page
    rows = list(AccessLogEntry.objects.filter(sequence__gt=before))
    assert [(row.action, row.client_public_id) for row in rows] == [("list", team.client.public_id)]


def test_the_receiver_sees_the_referral_in_the_queue_and_it_becomes_received(client, team, urls):
    client.force_login(team.receiver)

    assert "Työllisyysalue A" in client.get("/").content.decode()
    referral_url = next(url for url in urls if "/referrals/" in url and "new" not in url)
    response = client.get(referral_url)

    assert response.status_code == 200
    assert "Pauli Polkunen" in response.content.decode()
    row = AccessLogEntry.objects.latest("sequence")
    assert (row.basis, row.organisation) == ("referral", team.org_b)


def test_the_worklist_makes_as_many_queries_for_ten_clients_as_for_two(client, team):
    from datetime import date

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from polku.clients.services import RelationshipTerms, register_client
    from polku.policy.enums import LegalBasis, Register

    def add_case(number):
        person = register_client(
            actor=team.actor(),
            terms=RelationshipTerms(
                organisation=team.org_a,
                register=Register.EMPLOYMENT_SERVICES,
                legal_basis=LegalBasis.MULTI_SECTOR_ACT,
            ),
            first_names="Asiakas",
            last_name=f"Numero{number}",
            birth_date=date(1980, 1, number),
        ).client
        services.open_episode(
            actor=team.actor(),
            client=person,
            programme=team.programme,
            organisation=team.org_a,
            case_manager=team.manager,
        )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return len(captured)

    client.force_login(team.manager)
    for number in (1, 2):
        add_case(number)
    few = queries()
    for number in range(3, 11):
        add_case(number)

    assert queries() == few
