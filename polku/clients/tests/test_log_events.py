"""Each write names its event in the access log: a withdrawn consent is not a detail change."""

from __future__ import annotations

import pytest
from django.db import transaction

from polku.audit.models import AccessLogEntry
from polku.clients.services import update_client_details, withdraw_consent
from polku.policy.actors import Actor

pytestmark = pytest.mark.django_db


def events_after(number: int) -> list[tuple[str, str]]:
    return list(
        AccessLogEntry.objects.filter(sequence__gt=number)
        .order_by("sequence")
        .values_list("action", "event")
    )


def test_registering_recording_withdrawing_and_changing_name_their_events(world):
    assert AccessLogEntry.objects.values_list("event", flat=True).get() == "client_registered"
    before = AccessLogEntry.objects.get().sequence

    with transaction.atomic():
        consent = world.consent_to_b()
        withdraw_consent(
            actor=Actor.for_user(world.worker_a), consent=consent, withdrawal_method="in_person"
        )
        update_client_details(
            actor=Actor.for_user(world.worker_a), client=world.client, changes={"phone": "040 1"}
        )

    assert events_after(before) == [
        ("create", "consent_recorded"),
        ("change", "consent_withdrawn"),
        ("change", "basic_details_changed"),
    ]
