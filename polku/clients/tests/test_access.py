"""Every URL that shows client data: denied users get 404 and leave no trace; an allowed
look leaves exactly one access-log row."""

from __future__ import annotations

import pytest
from django.urls import reverse

from polku.audit.models import AccessLogEntry
from polku.policy.enums import DataCategory, Purpose

pytestmark = pytest.mark.django_db


def last_number() -> int:
    """The newest log row's number (numbers come from a sequence that rollbacks do not reset)."""
    return (
        AccessLogEntry.objects.order_by("sequence").values_list("sequence", flat=True).last() or 0
    )


def client_urls(world):
    consent = world.consent_to_b()
    public_id = world.client.public_id
    return [
        reverse("clients:overview", kwargs={"public_id": public_id}),
        reverse("clients:edit", kwargs={"public_id": public_id}),
        reverse("clients:access_log", kwargs={"public_id": public_id}),
        reverse("clients:consent_create", kwargs={"public_id": public_id}),
        reverse(
            "clients:consent_withdraw",
            kwargs={"public_id": public_id, "consent_id": consent.public_id},
        ),
        reverse(
            "clients:consent_summary",
            kwargs={"public_id": public_id, "consent_id": consent.public_id},
        ),
    ]


DENIED = ["worker_c", "analyst_a", "admin", "worker_b_narrow", "worker_b_other_purpose"]


@pytest.mark.parametrize("who", DENIED)
def test_a_user_without_access_gets_not_found_and_leaves_no_trace(client, world, who):
    urls = client_urls(world)
    if who == "worker_b_narrow":
        world.consent_to_b(categories=[DataCategory.MEASUREMENTS])
        user = world.worker_b
        world.client.consents.filter(categories__category=DataCategory.BASIC).update(
            withdrawn_at="2020-01-01T00:00:00Z"
        )
    elif who == "worker_b_other_purpose":
        world.client.consents.update(withdrawn_at="2020-01-01T00:00:00Z")
        world.consent_to_b(purpose=Purpose.REHABILITATION)
        user = world.worker_b
    else:
        user = getattr(world, who)
    client.force_login(user)
    before = AccessLogEntry.objects.count()

    for url in urls:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Testinen" not in response.content.decode()

    assert AccessLogEntry.objects.count() == before


def test_anonymous_users_are_sent_to_sign_in(client, world):
    for url in client_urls(world):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_each_allowed_look_leaves_exactly_one_row(client, world):
    client.force_login(world.worker_a)
    for url in client_urls(world):
        before = last_number()

        response = client.get(url)

        assert response.status_code == 200, url
        rows = list(AccessLogEntry.objects.filter(sequence__gt=before))
        assert len(rows) == 1, url
        row = rows[0]
        assert (row.client_public_id, row.actor_id, row.action, row.basis) == (
            world.client.public_id,
            str(world.worker_a.pk),
            "view",
            "service_relationship",
        )
        assert row.organisation == world.org_a
        assert row.path == url
        assert row.ip_address == "127.0.0.1"


def test_a_consent_lets_the_recipient_read_but_not_change(client, world):
    consent = world.consent_to_b()
    client.force_login(world.worker_b)
    overview = reverse("clients:overview", kwargs={"public_id": world.client.public_id})

    response = client.get(overview)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Testinen" in page
    assert "010180-****" in page
    assert "010180-9015" not in page
    row = AccessLogEntry.objects.latest("sequence")
    assert (row.basis, row.basis_public_id, row.organisation) == (
        "consent",
        consent.public_id,
        world.org_b,
    )
    edit = reverse("clients:edit", kwargs={"public_id": world.client.public_id})
    before = AccessLogEntry.objects.count()
    assert client.post(edit, {"first_names": "Muutettu", "last_name": "X"}).status_code == 403
    world.client.refresh_from_db()
    assert world.client.first_names == "Aino Maria"
    assert AccessLogEntry.objects.count() == before


def test_withdrawing_a_consent_ends_access_at_once(client, world):
    consent = world.consent_to_b()
    overview = reverse("clients:overview", kwargs={"public_id": world.client.public_id})
    client.force_login(world.worker_b)
    assert client.get(overview).status_code == 200

    client.force_login(world.worker_a)
    withdraw = reverse(
        "clients:consent_withdraw",
        kwargs={"public_id": world.client.public_id, "consent_id": consent.public_id},
    )
    form = {"withdrawal_method": "in_person"}
    confirmation = client.post(withdraw, form)
    consent.refresh_from_db()
    assert consent.withdrawn_at is None  # nothing is withdrawn before it is confirmed
    signed = {**form, "confirm": "1", "confirmation": confirmation.context["step"].signature()}
    assert client.post(withdraw, signed).status_code == 302

    client.force_login(world.worker_b)
    assert client.get(overview).status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_by == world.worker_a


def test_the_recipient_cannot_withdraw_or_record_consents(client, world):
    consent = world.consent_to_b()
    client.force_login(world.worker_b)

    withdraw = reverse(
        "clients:consent_withdraw",
        kwargs={"public_id": world.client.public_id, "consent_id": consent.public_id},
    )
    assert client.post(withdraw).status_code == 403
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
