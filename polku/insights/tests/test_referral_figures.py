"""The referrals section on a known world: by state now, by the receiver's kind, answers
and the days to answer, for a reader who counts A's clients and for an analyst."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from django.utils import timezone

from polku.accounts.models import Organisation
from polku.clients.models import Client
from polku.insights.referral_figures import referrals_section
from polku.insights.tests.figures_world import (
    FiguresWorld,
    day,
    figures_world_fixture,  # noqa: F401
    query,
    texts,
)
from polku.pathways.enums import ReferralStatus, Urgency
from polku.pathways.models import Referral

pytestmark = pytest.mark.django_db


def moment(days_ago: int) -> datetime:
    return timezone.make_aware(datetime.combine(day(days_ago), time(10)))


def refer(
    fw: FiguresWorld,
    client: Client,
    to: Organisation,
    *,
    sent: int,
    due: int,
    answered: int | None = None,
    status: str = ReferralStatus.ACCEPTED,
    sender: Organisation | None = None,
) -> Referral:
    return Referral.objects.create(
        client=client,
        from_organisation=sender or fw.world.org_a,
        from_user=fw.world.coach,
        to_organisation=to,
        reason="Työkyvyn arviointi",
        urgency=Urgency.NORMAL,
        status=status,
        sent_at=moment(sent),
        respond_by=day(due),
        answered_at=moment(answered) if answered is not None else None,
        decline_reason="Ei palvelua" if status == ReferralStatus.DECLINED else "",
    )


@pytest.fixture
def referred(figures_world: FiguresWorld) -> FiguresWorld:
    fw = figures_world
    health, ngo = fw.world.org_c, fw.world.org_b
    c = fw.clients
    refer(fw, c[0], health, sent=50, due=36, answered=48)  # 2 days
    refer(fw, c[1], health, sent=40, due=26, answered=30)  # 10 days
    # 20 days, answered 6 days after its due date.
    refer(fw, c[2], ngo, sent=40, due=26, answered=20, status=ReferralStatus.DECLINED)
    refer(fw, c[3], ngo, sent=30, due=16, answered=26, status=ReferralStatus.COMPLETED)  # 4
    refer(fw, c[4], health, sent=20, due=6, answered=19)  # 1 day
    refer(fw, c[5], health, sent=10, due=1, status=ReferralStatus.SENT)  # never answered
    refer(fw, c[6], health, sent=5, due=-9, status=ReferralStatus.RECEIVED)
    refer(fw, c[7], health, sent=70, due=56, answered=65)  # sent before the period
    # Of a client A has no ground for: 8 days, on time.
    refer(fw, fw.outsider, health, sent=10, due=0, answered=2, sender=ngo)
    return fw


def test_a_workers_referrals_by_state_and_receiver_with_small_figures_withheld(referred):
    section = referrals_section(referred.worker(), query())

    assert section is not None
    by_state, by_kind, answers, days = section.tables
    # Sent 1, received 1, accepted 3, declined 1, completed 1: each fewer than five; no
    # single one can be worked out from the total of 7.
    assert texts(by_state) == [
        ["Sent", "<5"],
        ["Received", "<5"],
        ["Accepted", "<5"],
        ["Declined", "<5"],
        ["Completed", "<5"],
        ["Withdrawn", "0"],
        ["All", "7"],
    ]
    # Health care 5, NGO 2: the 2 is withheld, and the 5 too, since 7 − 5 would give it.
    assert texts(by_kind) == [
        ["Health care", "×"],
        ["NGO / foundation", "<5"],
        ["All", "7"],
    ]
    # Five answered, one of them (the declined) after its due date.
    assert texts(answers) == [["Answered", "5"], ["Answered after the due date", "<5"]]
    # Days 1, 2, 4, 10, 20: the median 4; the 90th percentile 10 + 0.6 × (20 − 10) = 16.
    assert texts(days) == [["Answered", "4.0", "16.0"]]


def test_an_analyst_counts_the_referral_of_a_client_outside_the_workers_scope(referred):
    section = referrals_section(referred.analyst(), query())

    assert section is not None
    by_state, by_kind, answers, days = section.tables
    assert texts(by_state)[2] == ["Accepted", "<5"]  # 4 now
    assert texts(by_state)[-1] == ["All", "8"]
    # Health care 6, NGO 2: as for the worker, 8 − 6 would give the 2 away.
    assert texts(by_kind) == [["Health care", "×"], ["NGO / foundation", "<5"], ["All", "8"]]
    assert texts(answers) == [["Answered", "6"], ["Answered after the due date", "<5"]]
    # Days 1, 2, 4, 8, 10, 20: the median (4 + 8) / 2 = 6; the 90th percentile at rank
    # 1 + 0.9 × 5 = 5.5, halfway from 10 to 20.
    assert texts(days) == [["Answered", "6.0", "15.0"]]


def test_fewer_than_five_answered_give_no_median(referred):
    # Only the last thirty days: referrals sent 30, 20, 10 and 5 days ago, two answered.
    section = referrals_section(referred.worker(), query(starts_on=day(30)))

    assert section is not None
    assert texts(section.tables[3]) == [["Answered", "<5", "<5"]]
    assert texts(section.tables[0])[-1] == ["All", "<5"]


def test_no_referrals_no_section(figures_world):
    assert referrals_section(figures_world.worker(), query()) is None
