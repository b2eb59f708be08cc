"""The alerts section on a known world: clients with an open alert today by kind and
gender, each counted once per kind with its most overdue alert, cleared ones not counted,
and nothing for a period that does not include today."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from django.utils import timezone

from polku.accounts.models import User
from polku.clients.models import Client
from polku.insights.alert_figures import ONLY_TODAY_NOTE, alerts_section
from polku.insights.tests.figures_world import (
    FiguresWorld,
    day,
    figures_world_fixture,  # noqa: F401
    query,
    texts,
)
from polku.pathways.enums import AlertKind
from polku.pathways.models import Alert

pytestmark = pytest.mark.django_db


def alert(
    client: Client,
    kind: str,
    recipient: User,
    *,
    overdue: int,
    cleared: int | None = None,
) -> None:
    Alert.objects.create(
        kind=kind,
        subject_key=f"{kind}:{client.pk}",
        client=client,
        recipient=recipient,
        due_on=day(overdue),
        cleared_at=(
            timezone.make_aware(datetime.combine(day(cleared), time(3)))
            if cleared is not None
            else None
        ),
    )


@pytest.fixture
def alerted(figures_world: FiguresWorld) -> FiguresWorld:
    fw = figures_world
    coach, colleague = fw.world.coach, fw.world.colleague
    c = fw.clients  # women 0–2, men 3–4, not stated 5–7
    for client, overdue in zip(c[:5], [3, 5, 7, 10, 30], strict=True):
        alert(client, AlertKind.ASSESSMENT_OVERDUE, coach, overdue=overdue)
    # The same overdue assessment for a second recipient, 40 days overdue: client 0
    # counts once, with the 40 days.
    alert(c[0], AlertKind.ASSESSMENT_OVERDUE, colleague, overdue=40)
    alert(c[1], AlertKind.PLAN_REVIEW_OVERDUE, coach, overdue=2)
    alert(c[5], AlertKind.NO_CONTACT, coach, overdue=9, cleared=1)  # cleared yesterday
    alert(fw.outsider, AlertKind.REFERRAL_OVERDUE, fw.world.other_coach, overdue=4)
    return fw


def test_clients_with_an_open_alert_by_kind_and_gender(alerted):
    section = alerts_section(alerted.worker(), query())

    assert section is not None
    by_kind, days = section.tables
    assert by_kind.headers == ["Alert", "Women", "Men", "Other or not stated", "All"]
    assert texts(by_kind) == [
        ["Active episode without a case manager", "0", "0", "0", "0"],
        ["Referral unanswered past its deadline", "0", "0", "0", "0"],
        # The cleared alert is not counted.
        ["No contact with the client for too long", "0", "0", "0", "0"],
        ["Plan review overdue", "<5", "0", "0", "<5"],
        ["Too long in one phase", "0", "0", "0", "0"],
        # Three women and two men: neither can be worked out from the five.
        ["Joint assessment not finished in time", "<5", "<5", "0", "5"],
        # Client 1 has two kinds and counts once.
        ["Clients with any open alert", "<5", "<5", "0", "5"],
    ]
    # Days overdue 40 (client 0's most overdue), 5, 7, 10, 30: the median 10.
    assert texts(days)[5] == ["Joint assessment not finished in time", "10.0"]
    assert texts(days)[3] == ["Plan review overdue", "<5"]
    assert texts(days)[0] == ["Active episode without a case manager", "–"]


def test_an_analyst_counts_the_alert_of_a_client_outside_the_workers_scope(alerted):
    section = alerts_section(alerted.analyst(), query())

    assert section is not None
    by_kind = texts(section.tables[0])
    assert by_kind[1] == ["Referral unanswered past its deadline", "0", "0", "<5", "<5"]
    assert by_kind[-1] == ["Clients with any open alert", "<5", "<5", "<5", "6"]


def test_alerts_are_todays_only(alerted):
    past = alerts_section(alerted.worker(), query(day(60), day(1)))
    assert past is not None
    assert past.tables == []
    assert past.note == str(ONLY_TODAY_NOTE)
    today = alerts_section(alerted.worker(), query(day(0), day(0)))
    assert today is not None
    assert today.tables
