"""Pathway data of the demo (through the services) and at volume (bulk)."""

from collections import Counter
from datetime import timedelta
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from django.utils import timezone

from polku.accounts.models import User
from polku.audit.models import AccessLogEntry
from polku.audit.sealing import verify_access_log
from polku.clients.models import Client
from polku.pathways.enums import RESPONSE_DAYS, AlertKind, EndReason, HandoverState, Urgency
from polku.pathways.models import (
    Alert,
    CaseManagerAssignment,
    Episode,
    Goal,
    GoalAttainment,
    Handover,
    JournalEntry,
    PhaseChange,
    Plan,
    PlanAction,
    PlanReview,
    PlanVersion,
    Referral,
    TeamMember,
)
from polku.pathways.selectors import worklist
from polku.policy.actors import Actor
from polku.policy.enums import Register
from polku.policy.models import Consent, ServiceRelationship
from polku.synthetic.demo import NGO, SOCIAL_SERVICES
from polku.synthetic.pathways import FIRST_PROFESSIONAL_CASES, case_count
from polku.synthetic.volume import VolumeSeeder, username_for

pytestmark = pytest.mark.django_db

PATHWAY_MODELS = [
    Episode,
    PhaseChange,
    CaseManagerAssignment,
    Handover,
    TeamMember,
    Plan,
    Goal,
    PlanAction,
    PlanVersion,
    PlanReview,
    GoalAttainment,
    Referral,
    JournalEntry,
    Alert,
]


def counts() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in PATHWAY_MODELS}


def work_of(username: str):
    return worklist(Actor.for_user(User.objects.get(username=username)))


# The demo ---------------------------------------------------------------------------------


def test_the_social_worker_manages_six_cases_that_raise_every_kind_of_alert():
    call_command("seed_demo")

    work = work_of("sosiaalityontekija")

    assert sorted(row.client.last_name for row in work.my_cases) == [
        "Heikkilä",
        "Koskinen",
        "Lehtinen",
        "Rantanen",
        "Salo",
        "Virtanen",
    ]
    assert sorted((alert.kind, alert.client.last_name) for alert in work.alerts) == [
        (AlertKind.ASSESSMENT_OVERDUE, "Heikkilä"),
        (AlertKind.NO_CASE_MANAGER, "Heinonen"),
        (AlertKind.NO_CONTACT, "Koskinen"),
        (AlertKind.PHASE_TOO_LONG, "Rantanen"),
        (AlertKind.PLAN_REVIEW_OVERDUE, "Salo"),
        (AlertKind.REFERRAL_OVERDUE, "Koskinen"),
    ]
    assert {alert.kind for alert in Alert.objects.open()} == set(AlertKind)
    assert Alert.objects.open().count() == 7  # the overdue referral alerts its receiver too
    # The phases moved over months, in the programme's order.
    for row in work.my_cases:
        episode = row.episode
        phases = list(episode.phase_changes.values_list("phase", flat=True))
        assert phases == episode.programme.phases[: len(phases)]
        assert episode.started_on <= timezone.localdate() - timedelta(days=25)
        assert episode.journal_entries.filter(register=Register.SOCIAL_WELFARE).exists()
    assert [
        (row.client.last_name, len(row.episode.phase_changes.all()))
        for row in work.my_cases
        if len(row.episode.phase_changes.all()) > 1
    ] == [("Koskinen", 2), ("Lehtinen", 3), ("Rantanen", 2), ("Salo", 2)]


def test_demo_plans_are_in_the_clients_words_with_actions_and_reviews():
    call_command("seed_demo")

    plans = Plan.objects.filter(episode__organisation__name=SOCIAL_SERVICES)
    assert plans.count() == 6
    for plan in plans:
        goals = list(plan.goals.all())
        assert 2 <= len(goals) <= 3
        assert all(goal.text.startswith("Haluan") for goal in goals)
        assert plan.helping_factors
        assert plan.hindering_factors
        assert plan.actions.exclude(due_on=None).exists()
        assert list(plan.versions.values_list("number", flat=True)) == list(
            range(1, plan.version + 1)
        )
    lehtinen = plans.get(episode__client__last_name="Lehtinen")
    assert lehtinen.version == 2
    assert lehtinen.goals.all()[0].text == "Haluan päästä takaisin työelämään osa-aikaisesti."
    reviews = [
        (review.plan_version, [a.level for a in review.attainments.order_by("goal__position")])
        for review in lehtinen.reviews.order_by("reviewed_on")
    ]
    assert reviews == [(1, [-1, 0, -1]), (2, [0, 1, 1])]
    assert {a.owner_is_client for a in lehtinen.actions.all()} == {True, False}
    assert PlanReview.objects.count() == 7
    versions = PlanVersion.objects.filter(plan=lehtinen).order_by("number")
    assert [timezone.localdate(v.saved_at) for v in versions] == [
        timezone.localdate() - timedelta(days=360),
        timezone.localdate() - timedelta(days=190),
    ]


def test_demo_referrals_are_in_every_state_and_respect_who_may_receive_them():
    call_command("seed_demo")

    statuses = Counter(Referral.objects.values_list("status", flat=True))
    assert statuses == {
        "sent": 2,
        "received": 1,
        "accepted": 1,
        "declined": 1,
        "completed": 1,
        "withdrawn": 1,
    }
    assert Referral.objects.get(status="declined").decline_reason
    today = timezone.localdate()
    for referral in Referral.objects.all():
        sent_on = timezone.localdate(referral.sent_at)
        assert referral.respond_by == sent_on + timedelta(
            days=RESPONSE_DAYS[Urgency(referral.urgency)]
        )
        serves = (
            ServiceRelationship.objects.active()
            .filter(client=referral.client, organisation=referral.to_organisation)
            .exists()
        )
        consented = (
            Consent.objects.valid()
            .filter(client=referral.client, recipient=referral.to_organisation)
            .filter(Q(discloser=referral.from_organisation) | Q(discloser=None))
        )
        covered = set(consented.values_list("categories__category", flat=True))
        assert serves or set(referral.shared_categories) <= covered
    overdue = [r.client.last_name for r in Referral.objects.all() if r.is_overdue(today)]
    assert overdue == ["Koskinen"]
    coach = work_of("tyohonvalmentaja")
    assert sorted((r.referral.client.last_name, r.visible) for r in coach.incoming) == [
        ("Holmström", True),
        ("Lehtinen", True),
    ]
    assert sorted(row.client.last_name for row in coach.my_cases) == ["Mäkelä", "Salo"]


def test_a_handover_waits_and_one_episode_ended_in_work():
    call_command("seed_demo")

    handover = Handover.objects.get()
    assert (handover.from_user.username, handover.to_user.username) == (
        "sosiaalityontekija",
        "sosiaaliohjaaja",
    )
    assert handover.state == HandoverState.PROPOSED
    counsellor = work_of("sosiaaliohjaaja")
    assert [h.episode.client.last_name for h in counsellor.handovers] == ["Virtanen"]
    assert sorted(row.client.last_name for row in counsellor.team_cases) == [
        "Koskinen",
        "Lehtinen",
        "Rantanen",
    ]
    ended = Episode.objects.exclude(ended_on=None).get()
    assert ended.client.last_name == "Nieminen"
    assert ended.end_reason == EndReason.OPEN_LABOUR_MARKET
    assert [p.phase for p in ended.phase_changes.all()][-1] == "employment"
    assert not ended.case_manager_assignments.filter(ended_at=None).exists()
    unmanaged = Episode.objects.get(client__last_name="Heinonen")
    assert not unmanaged.case_manager_assignments.exists()


def test_the_demo_pathways_are_written_through_the_services_and_only_once(capsys):
    call_command("seed_demo")
    first = counts()
    logged = AccessLogEntry.objects.count()

    call_command("seed_demo")

    assert counts() == first
    assert AccessLogEntry.objects.count() == logged
    assert first == {
        "Episode": 12,
        "PhaseChange": 21,
        "CaseManagerAssignment": 11,
        "Handover": 1,
        "TeamMember": 4,
        "Plan": 7,
        "Goal": 14,
        "PlanAction": 13,
        "PlanVersion": 8,
        "PlanReview": 7,
        "GoalAttainment": 16,
        "Referral": 7,
        "JournalEntry": 35,
        "Alert": 7,
    }
    # 30 rows for the clients' relationships and consents, 89 for the pathways, 43 for
    # the measurements (polku/synthetic/measures.py), 15 for job coaching
    # (polku/synthetic/coaching.py), 1 for the job started in it (polku/synthetic/placements.py)
    # and 7 for the work trial (polku/synthetic/worktrials.py: arranged, the consent, the link
    # sent, the host's feedback sent, the self-rating started and linked to the trial, and
    # answered).
    assert logged == 30 + 90 + 43 + 15 + 1 + 7
    assert verify_access_log().intact
    assert "Episodes: 0 opened now" in capsys.readouterr().out


# Volume -----------------------------------------------------------------------------------


def first_organisation(seed: int) -> int:
    return User.objects.get(username=username_for(seed, 1)).memberships.get().organisation_id


def test_volume_pathways_follow_the_rules_of_the_data(capsys):
    call_command("seed_synthetic", seed=9, organisations=20, professionals=150, clients=300)

    today = timezone.localdate()
    episodes = Episode.objects.select_related("programme")
    assert episodes.count() == 98
    assert episodes.exclude(ended_on=None).count() == 17
    # At most one active case manager each (also a database constraint), none when ended.
    managers = Counter(
        CaseManagerAssignment.objects.filter(ended_at=None).values_list("episode", flat=True)
    )
    assert set(managers.values()) == {1}
    assert not Episode.objects.exclude(ended_on=None).filter(pk__in=list(managers)).exists()
    without = Episode.objects.active().exclude(pk__in=list(managers))
    assert without.count() == 1
    assert CaseManagerAssignment.objects.exclude(ended_at=None).count() == 38
    for episode in episodes.prefetch_related("phase_changes"):
        relationship = ServiceRelationship.objects.filter(
            client=episode.client_id, organisation=episode.organisation_id
        ).get()
        assert relationship.is_active()
        assert today - timedelta(days=3 * 365) <= episode.started_on <= today
        phases = list(episode.phase_changes.all())
        assert [p.phase for p in phases] == episode.programme.phases[: len(phases)]
        assert 1 <= len(phases) <= 4
        assert phases[0].started_on == episode.started_on
        for current, following in pairwise(phases):
            assert 30 <= (following.started_on - current.started_on).days <= 300
        assert bool(episode.ended_on) == bool(episode.end_reason)
        entries = list(episode.journal_entries.all())
        assert 1 <= len(entries) <= 5
        assert {e.register for e in entries} == {relationship.register}
    # The seed's first professional manages the first active episodes of their organisation.
    first = username_for(9, 1)
    available = (
        Episode.objects.active()
        .filter(organisation=first_organisation(9), pk__in=list(managers))
        .count()
    )
    assert case_count(first) == min(FIRST_PROFESSIONAL_CASES, available) == 6
    assert f"Case manager for the benchmarks: {first}, of 6 active episodes" in (
        capsys.readouterr().out
    )
    # Plans: versions numbered up to the plan's version, reviews rate every goal.
    plans = Plan.objects.annotate(versions_n=Count("versions", distinct=True))
    assert plans.count() == 61
    for plan in plans:
        assert plan.versions_n == plan.version
        assert 1 <= plan.goals.count() <= 3
    assert PlanReview.objects.count() == 25
    for review in PlanReview.objects.prefetch_related("attainments"):
        assert {a.goal_id for a in review.attainments.all()} == set(
            review.plan.goals.values_list("pk", flat=True)
        )
        assert review.plan_version <= review.plan.version
    # Referrals of several states, with timestamps that fit each state.
    statuses = Counter(Referral.objects.values_list("status", flat=True))
    assert statuses == {
        "accepted": 5,
        "completed": 5,
        "declined": 6,
        "received": 1,
        "sent": 2,
        "withdrawn": 5,
    }
    for referral in Referral.objects.all():
        sent_on = timezone.localdate(referral.sent_at)
        assert referral.respond_by == sent_on + timedelta(
            days=RESPONSE_DAYS[Urgency(referral.urgency)]
        )
        moments = [referral.sent_at, referral.received_at, referral.answered_at]
        present = [m for m in moments if m is not None]
        assert present == sorted(present)
        assert (referral.status == "declined") == bool(referral.decline_reason)
        assert (referral.closed_at is not None) == (referral.status in {"completed", "withdrawn"})
        assert (referral.answered_at is not None) == (
            referral.status in {"accepted", "declined", "completed"}
        )
    assert set(Alert.objects.open().values_list("kind", flat=True)) >= {
        AlertKind.NO_CASE_MANAGER,
        AlertKind.PLAN_REVIEW_OVERDUE,
    }
    assert not AccessLogEntry.objects.exists()


def test_the_first_professional_manages_sixty_when_there_are_more():
    call_command("seed_synthetic", seed=2, organisations=3, professionals=30, clients=1200)

    first = username_for(2, 1)
    at_first = Episode.objects.active().filter(organisation=first_organisation(2))
    managed = at_first.filter(case_manager_assignments__ended_at=None).count()
    assert managed > FIRST_PROFESSIONAL_CASES
    assert case_count(first) == FIRST_PROFESSIONAL_CASES
    clients = CaseManagerAssignment.objects.filter(user__username=first, ended_at=None).values(
        "episode__client"
    )
    assert clients.distinct().count() == FIRST_PROFESSIONAL_CASES
    # Nobody else is given their clients' work by chance: no team places, no other episodes.
    assert not TeamMember.objects.filter(user__username=first).exists()
    assert (
        not CaseManagerAssignment.objects.filter(user__username=first)
        .exclude(ended_at=None)
        .exists()
    )


def test_no_pathways_when_the_share_is_zero():
    call_command(
        "seed_synthetic", seed=4, organisations=5, professionals=20, clients=50, pathway_share=0
    )

    assert Client.objects.count() == 50
    assert counts() == dict.fromkeys(counts(), 0)


def pathway_rows() -> list[tuple]:
    rows: list[tuple] = list(
        Episode.objects.order_by("public_id").values_list(
            "public_id",
            "client__public_id",
            "programme__code",
            "organisation__name",
            "started_on",
            "ended_on",
            "end_reason",
            "created_by__username",
        )
    )
    rows += PhaseChange.objects.order_by("episode__public_id", "started_on").values_list(
        "episode__public_id", "phase", "started_on"
    )
    rows += CaseManagerAssignment.objects.order_by("episode__public_id", "started_at").values_list(
        "episode__public_id", "user__username", "started_at", "ended_at"
    )
    rows += TeamMember.objects.order_by("episode__public_id", "user__username").values_list(
        "episode__public_id", "user__username", "team_role", "started_on"
    )
    rows += Plan.objects.order_by("public_id").values_list(
        "public_id", "version", "next_review_on", "helping_factors"
    )
    rows += Goal.objects.order_by("plan__public_id", "position").values_list(
        "plan__public_id", "text", "importance", "difficulty"
    )
    rows += PlanReview.objects.order_by("plan__public_id", "reviewed_on").values_list(
        "plan__public_id", "reviewed_on", "plan_version"
    )
    attainments = GoalAttainment.objects.order_by("review__plan__public_id", "goal__position")
    rows += attainments.values_list("review__plan__public_id", "goal__position", "level")
    rows += Referral.objects.order_by("public_id").values_list(
        "public_id", "status", "sent_at", "respond_by", "answered_at", "to_organisation__name"
    )
    rows += JournalEntry.objects.order_by("public_id").values_list(
        "public_id", "occurred_on", "entry_type", "text", "author__username"
    )
    return rows


def test_the_same_seed_gives_the_same_pathways(codesets):
    def run() -> list[tuple]:
        seeder = VolumeSeeder(seed=17)
        seeder.organisations(8)
        seeder.professionals(40)
        seeder.clients(200)
        rows = pathway_rows()
        GoalAttainment.objects.all().delete()
        Plan.objects.all().delete()
        JournalEntry.objects.all().delete()
        Referral.objects.all().delete()
        Episode.objects.all().delete()
        Consent.objects.all().delete()
        ServiceRelationship.objects.all().delete()
        Client.objects.all().delete()
        User.objects.all().delete()
        return rows

    first, second = run(), run()

    assert first == second
    assert len(first) > 500


def test_volume_and_demo_pathways_share_a_database(codesets):
    seeder = VolumeSeeder(seed=5)
    seeder.organisations(6)
    seeder.professionals(30)
    seeder.clients(100)

    call_command("seed_demo")

    assert work_of("sosiaalityontekija").my_cases
    assert Episode.objects.filter(organisation__name=NGO).count() == 2
    assert {alert.kind for alert in Alert.objects.open()} == set(AlertKind)


def test_the_demo_has_measurements_with_change(db, capsys):
    from django.core.management import call_command

    from polku.measures.models import Administration

    call_command("seed_demo")
    first = Administration.objects.count()
    call_command("seed_demo")

    assert Administration.objects.count() == first
    complete = Administration.objects.filter(
        status="complete", instrument__code="work-ability-score"
    )
    assert complete.values("client").distinct().count() >= 4
    assert Administration.objects.filter(status="draft", due_on__isnull=False).exists()
    assert "Measurements:" in capsys.readouterr().out


def test_volume_measurements_follow_the_schedules_and_improve_on_the_whole(db):
    from django.core.management import call_command

    from polku.measures.models import Administration, Schedule
    from polku.measures.scoring import score

    call_command("seed_synthetic", seed=5, organisations=20, professionals=200, clients=200)

    rows = Administration.objects.filter(instrument__code="work-ability-score")
    assert rows.exists()
    assert not rows.filter(total__isnull=True).exists()
    assert all(0 <= (total or 0) <= 10 for total in rows.values_list("total", flat=True))
    scheduled = set(Schedule.objects.values_list("programme_id", "instrument_code", "occasion"))
    kinds = Administration.objects.values_list(
        "episode__programme_id", "instrument__code", "occasion"
    )
    assert {kind for kind in kinds if kind[1] != "kykyviisari-result"} <= scheduled
    for administration in Administration.objects.filter(occasion="baseline").select_related(
        "episode", "instrument"
    )[:50]:
        assert administration.episode is not None
        assert administration.completed_at is not None
        assert administration.completed_at.date() == administration.episode.started_on
        stored = score(administration.instrument.definition, administration.answers)
        assert stored.total == administration.total
    # Most clients improve: the mean change from the first to the latest score is positive.
    series: dict[int, list[float]] = {}
    for client_id, total in rows.order_by("completed_at").values_list("client_id", "total"):
        series.setdefault(client_id, []).append(total or 0)
    changes = [values[-1] - values[0] for values in series.values() if len(values) > 1]
    assert changes
    assert sum(changes) / len(changes) > 0


def test_the_demo_cohort_gives_the_group_results_something_to_show(db):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from polku.accounts.models import User
    from polku.measures.selectors import group_breakdown
    from polku.measures.services import latest_version
    from polku.synthetic.measures import COHORT_SIZE

    with pytest.raises(CommandError, match="seed_demo first"):
        call_command("seed_demo_cohort")
    call_command("seed_demo")
    active_before = Episode.objects.filter(ended_on__isnull=True).count()
    call_command("seed_demo_cohort")
    clients = Client.objects.count()
    call_command("seed_demo_cohort")

    assert Client.objects.count() == clients  # only once
    assert Episode.objects.filter(ended_on__isnull=True).count() == active_before
    manager = User.objects.get(username="hankepaallikko")
    breakdown = group_breakdown(
        Actor.for_user(manager), latest_version("work-ability-score"), "programme"
    )
    shown = [row for row in breakdown.rows if row.summary is not None]
    assert len(shown) == 2
    assert breakdown.total.summary is not None
    assert breakdown.total.summary.n >= COHORT_SIZE
    assert breakdown.total.summary.mean_change > 0
