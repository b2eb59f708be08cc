"""Each live figure computed on known data, counting only the project's participants."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from polku.clients.models import Client
from polku.core.models import Municipality
from polku.employment import employer_services, worktrial_services
from polku.employment.models import EmployerFeedback, FeedbackLink, WorkTrial
from polku.employment.worktrial_enums import TrialPurpose
from polku.measures.enums import AdministrationStatus, Channel, Occasion
from polku.measures.models import Administration, InstrumentVersion
from polku.pathways import services as pathways_services
from polku.pathways.models import CaseManagerAssignment, Episode, Plan, PlanReview, PlanVersion
from polku.policy.enums import Register
from polku.projects import live_figures
from polku.projects.live_figures import LiveValue
from polku.projects.tests.fixtures_tracking import (
    PROJECT_START,
    TODAY,
    ProjectWorld,
    make_project_world,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def project_world(programmes, make_organisation, make_professional) -> ProjectWorld:
    return make_project_world(make_organisation, make_professional)


def _moment(days_ago: int) -> datetime:
    return timezone.make_aware(datetime.combine(TODAY - timedelta(days=days_ago), time(12)))


def _episode(pw: ProjectWorld, client: Client, *, managed: bool = True) -> Episode:
    return pathways_services.open_episode(
        actor=pw.world.actor(),
        client=client,
        programme=pw.world.programme,
        organisation=pw.world.org_a,
        started_on=TODAY - timedelta(days=200),
        case_manager=pw.world.coach if managed else None,
    )


def test_the_value_is_shown_with_its_whole_and_share() -> None:
    assert str(LiveValue(12, 40, TODAY)) == "12 / 40 (30 %)"
    assert str(LiveValue(1, 3, TODAY)) == "1 / 3 (33 %)"
    assert str(LiveValue(0, 0, TODAY)) == "0 / 0"
    assert str(LiveValue(5, None, TODAY)) == "5"


def test_the_registry_offers_each_figure() -> None:
    assert set(live_figures.FIGURES) == {
        "case_manager",
        "work_trial_feedback",
        "plans_on_time",
        "in_work_at_exit",
        "measured_twice",
    }
    assert live_figures.live_value("gone", None) is None  # type: ignore[arg-type]


def test_participants_with_a_named_case_manager(project_world: ProjectWorld) -> None:
    pw = project_world
    managed, unmanaged, without_episode, relieved, gone, outside = (
        pw.world.new_client(number) for number in range(6)
    )
    for client in (managed, unmanaged, without_episode, relieved):
        pw.enrol(client)
    pw.enrol(gone, left_on=TODAY - timedelta(days=1))
    _episode(pw, managed)
    _episode(pw, unmanaged, managed=False)
    CaseManagerAssignment.objects.filter(episode=_episode(pw, relieved)).update(ended_at=_moment(1))
    _episode(pw, gone)
    _episode(pw, outside)  # not a participant

    value = live_figures.with_case_manager(pw.project, TODAY)

    assert (value.value, value.denominator, value.as_of) == (1, 4, TODAY)


def test_work_trials_with_employer_feedback(project_world: ProjectWorld) -> None:
    pw = project_world
    actor = pw.world.actor()
    host = employer_services.create_employer(
        actor=actor,
        name="Pirkan Varasto Oy",
        municipality=Municipality.objects.get(pk="837"),
        business_id="2345678-0",
    )
    contact = employer_services.add_contact_person(host, actor=actor, name="Hanna Hyllynen")

    def trial(number: int, starts_ago: int) -> WorkTrial:
        coaching = pw.world.new_coaching(number, started_on=TODAY - timedelta(days=starts_ago))
        return worktrial_services.arrange_work_trial(
            actor=actor,
            coaching=coaching,
            employer=host,
            contact_person=contact,
            workplace="",
            starts_on=coaching.started_on,
            ends_on=coaching.started_on + timedelta(days=20),
            tasks="Hyllytys",
            purpose=TrialPurpose.TRYING_A_FIELD,
        )

    def feedback(trial: WorkTrial, *, submitted: bool) -> None:
        link = FeedbackLink.objects.create(
            trial=trial,
            token_hash=f"{trial.pk:064d}",
            contact_person=contact,
            created_by=pw.world.coach,
        )
        EmployerFeedback.objects.create(link=link, submitted_at=_moment(2) if submitted else None)

    with_feedback, draft, before_project, not_enrolled = (
        trial(1, 100),
        trial(2, 90),
        trial(3, 400),
        trial(4, 80),
    )
    for done in (with_feedback, draft, before_project):
        pw.enrol(done.client, entered_on=TODAY - timedelta(days=400))
    feedback(with_feedback, submitted=True)
    feedback(draft, submitted=False)
    feedback(before_project, submitted=True)
    feedback(not_enrolled, submitted=True)

    value = live_figures.work_trials_with_feedback(pw.project, TODAY)

    assert (value.value, value.denominator) == (1, 2)


def test_plans_reviewed_on_time(project_world: ProjectWorld) -> None:
    """The programme reviews plans at least every 182 days."""
    pw = project_world

    def planned(number: int, *, saved_ago: int, reviewed_ago: int | None = None, **plan: object):
        client = pw.world.new_client(number)
        pw.enrol(client)
        episode = _episode(pw, client)
        record, _created = Plan.objects.update_or_create(
            episode=episode, defaults={"version": 1, **plan}
        )
        PlanVersion.objects.create(
            plan=record, number=1, content={}, saved_by=pw.manager, saved_at=_moment(saved_ago)
        )
        if reviewed_ago is not None:
            PlanReview.objects.create(
                plan=record,
                reviewed_on=TODAY - timedelta(days=reviewed_ago),
                reviewed_by=pw.world.coach,
                plan_version=1,
            )

    planned(1, saved_ago=100)  # due in 82 days
    planned(2, saved_ago=300)  # due 118 days ago
    planned(3, saved_ago=300, reviewed_ago=50)  # due in 132 days
    planned(4, saved_ago=10, next_review_on=TODAY - timedelta(days=1))  # agreed date passed
    planned(5, saved_ago=10, next_review_on=TODAY)  # due today: not late yet
    without_plan = pw.world.new_client(6)
    pw.enrol(without_plan)
    _episode(pw, without_plan)

    value = live_figures.plans_reviewed_on_time(pw.project, TODAY)

    assert (value.value, value.denominator) == (3, 5)


def test_participants_in_work_at_exit(project_world: ProjectWorld) -> None:
    pw = project_world
    left_on = TODAY - timedelta(days=30)
    observed = TODAY - timedelta(days=20)
    for number, employed in enumerate([True, True, False]):
        pw.enrol(
            pw.world.new_client(number),
            left_on=left_on,
            exit_observed_on=observed,
            exit_employed=employed,
        )
    pw.enrol(pw.world.new_client(3), left_on=left_on)  # exit not known: counted, not in work
    pw.enrol(pw.world.new_client(4))  # still taking part
    pw.enrol(  # another project's
        pw.world.new_client(5),
        project=pw.other_project,
        left_on=left_on,
        exit_observed_on=observed,
        exit_employed=True,
    )

    value = live_figures.in_work_at_exit(pw.project, TODAY)

    assert (value.value, value.denominator) == (2, 4)
    assert live_figures.in_work_at_exit(pw.project, left_on - timedelta(days=1)).denominator == 0


def test_participants_with_a_baseline_and_a_follow_up(project_world: ProjectWorld) -> None:
    pw = project_world
    wai = InstrumentVersion.objects.create(code="wai", version="1", definition_data={})
    other = InstrumentVersion.objects.create(code="ors", version="1", definition_data={})

    def measured(
        client: Client,
        instrument: InstrumentVersion,
        occasion: str,
        days_ago: int,
        status: str = AdministrationStatus.COMPLETE,
    ) -> None:
        Administration.objects.create(
            client=client,
            organisation=pw.world.org_a,
            register=Register.EMPLOYMENT_SERVICES,
            instrument=instrument,
            occasion=occasion,
            channel=Channel.TOGETHER,
            status=status,
            created_by=pw.world.coach,
            completed_at=_moment(days_ago) if status == AdministrationStatus.COMPLETE else None,
        )

    twice, once, crossed, draft, before = (pw.world.new_client(n) for n in range(5))
    for client in (twice, once, crossed, draft, before):
        pw.enrol(client)
    measured(twice, wai, Occasion.BASELINE, 200)
    measured(twice, wai, Occasion.PERIODIC, 20)
    measured(once, wai, Occasion.BASELINE, 200)
    measured(crossed, wai, Occasion.BASELINE, 200)
    measured(crossed, other, Occasion.EXIT, 20)
    measured(draft, wai, Occasion.BASELINE, 200)
    measured(draft, wai, Occasion.PERIODIC, 0, status=AdministrationStatus.DRAFT)
    measured(before, wai, Occasion.BASELINE, (TODAY - PROJECT_START).days + 10)
    measured(before, wai, Occasion.PERIODIC, 20)

    value = live_figures.measured_twice(pw.project, TODAY)

    assert (value.value, value.denominator) == (1, 5)
