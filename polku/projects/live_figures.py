"""Live figures: counts Polku computes from its own data for a project at the time of
reading, chosen as the evidence of a result ("12 / 40 (30 %)").

Each figure is an aggregate over the project's participants — counts only, never a name
or a row — so reading one identifies no client and writes no access-log row. The pages
that show a figure show it only to those who may read the project
(``decisions.may_read_project``); nothing here asks the policy, so the callers must.

Which participants a figure counts, on a day ``on``:
- *taking part*: entered on or before ``on`` and not left before it;
- *so far*: entered on or before ``on``;
- *left*: left on or before ``on``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from polku.employment.models import EmployerFeedback, WorkTrial
from polku.measures.enums import AdministrationStatus, Occasion
from polku.measures.models import Administration
from polku.pathways.models import CaseManagerAssignment, Episode, PlanReview, PlanVersion
from polku.projects.models import Participant, Project

FOLLOW_UP_OCCASIONS = (Occasion.PERIODIC, Occasion.EXIT, Occasion.AFTER_EXIT)


@dataclass(frozen=True)
class LiveValue:
    """A figure's value on ``as_of``: ``value`` of ``denominator`` (None when the figure
    has no natural whole)."""

    value: int
    denominator: int | None
    as_of: date

    @property
    def share(self) -> Decimal | None:
        """The share in per cent, rounded to a whole number; None without a whole."""
        if not self.denominator:
            return None
        return (Decimal(100 * self.value) / Decimal(self.denominator)).quantize(
            Decimal(1), rounding=ROUND_HALF_UP
        )

    def __str__(self) -> str:
        if self.denominator is None:
            return number_format(self.value)
        share = self.share
        shown = f"{number_format(self.value)} / {number_format(self.denominator)}"
        return shown if share is None else f"{shown} ({number_format(share)} %)"


@dataclass(frozen=True)
class LiveFigure:
    key: str
    label: str | Promise
    description: str | Promise
    compute: Callable[[Project, date], LiveValue]

    def value(self, project: Project, on: date | None = None) -> LiveValue:
        return self.compute(project, on or timezone.localdate())


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def _so_far(project: Project, on: date) -> QuerySet[Participant]:
    return Participant.objects.filter(
        project=project, entered_on__lte=on, client__merged_into__isnull=True
    )


def _taking_part(project: Project, on: date) -> QuerySet[Participant]:
    return _so_far(project, on).filter(Q(left_on__isnull=True) | Q(left_on__gte=on))


def _active_episodes(on: date) -> QuerySet[Episode]:
    return Episode.objects.filter(started_on__lte=on).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=on)
    )


def with_case_manager(project: Project, on: date) -> LiveValue:
    """Participants taking part on ``on`` who have a named case manager then: an episode
    active that day with a case manager assigned before the day ended and not relieved
    before it ended."""
    end = _end_of(on)
    managed = CaseManagerAssignment.objects.filter(started_at__lt=end).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gte=end)
    )
    episodes = _active_episodes(on).filter(
        client_id=OuterRef("client_id"),
        pk__in=managed.values("episode_id"),
    )
    participants = _taking_part(project, on)
    return LiveValue(
        value=participants.filter(Exists(episodes)).count(),
        denominator=participants.count(),
        as_of=on,
    )


def work_trials_with_feedback(project: Project, on: date) -> LiveValue:
    """The participants' work trials started inside the project period (up to ``on``), and
    of them those whose host has sent its feedback (submitted by the end of ``on``)."""
    clients = _so_far(project, on).values("client_id")
    trials = WorkTrial.objects.filter(
        client_id__in=clients,
        starts_on__gte=project.starts_on,
        starts_on__lte=min(project.ends_on, on),
    )
    submitted = EmployerFeedback.objects.filter(
        link__trial=OuterRef("pk"), submitted_at__isnull=False, submitted_at__lt=_end_of(on)
    )
    return LiveValue(
        value=trials.filter(Exists(submitted)).count(), denominator=trials.count(), as_of=on
    )


def plans_reviewed_on_time(project: Project, on: date) -> LiveValue:
    """Participants taking part on ``on`` with an active episode whose client plan has
    been saved, and of them those none of whose plans is overdue for review that day.

    "Overdue" is the plan-review alert's rule (``pathways.alerts``): a plan is due for
    review on its agreed next review date, or ``plan_review_days`` (the programme's rule)
    after its last review — or after it was first saved, if never reviewed — whichever
    comes first; it is overdue when that day is before ``on``."""
    participants = {
        row["client_id"] for row in _taking_part(project, on).values("client_id").distinct()
    }
    end = _end_of(on)
    episodes = (
        _active_episodes(on)
        .filter(client_id__in=participants, plan__isnull=False)
        .select_related("programme", "plan")
    )
    # Later rows overwrite earlier ones: the first version saved, the last review.
    first_saved: dict[int, datetime] = dict(
        PlanVersion.objects.filter(plan__episode__in=episodes, saved_at__lt=end)
        .order_by("-saved_at")
        .values_list("plan__episode_id", "saved_at")
    )
    last_review: dict[int, date] = dict(
        PlanReview.objects.filter(plan__episode__in=episodes, reviewed_on__lte=on)
        .order_by("reviewed_on")
        .values_list("plan__episode_id", "reviewed_on")
    )
    planned: set[int] = set()
    late: set[int] = set()
    for episode in episodes:
        saved_at = first_saved.get(episode.pk)
        if saved_at is None:
            continue
        planned.add(episode.client_id)
        dues = [episode.plan.next_review_on] if episode.plan.next_review_on else []
        days = episode.programme.plan_review_days
        if days is not None:
            since = last_review.get(episode.pk) or timezone.localdate(saved_at)
            dues.append(since + timedelta(days=days))
        if dues and min(dues) < on:
            late.add(episode.client_id)
    return LiveValue(value=len(planned - late), denominator=len(planned), as_of=on)


def in_work_at_exit(project: Project, on: date) -> LiveValue:
    """Participants who have left by ``on``, and of them those in employment (including
    self-employment) upon leaving, as recorded in their exit details."""
    left = _so_far(project, on).filter(left_on__lte=on)
    return LiveValue(
        value=left.filter(exit_employed=True).count(), denominator=left.count(), as_of=on
    )


def measured_twice(project: Project, on: date) -> LiveValue:
    """Participants so far who have, inside the project period and by ``on``, a complete
    measurement at the start and a complete follow-up measurement (periodic, at exit or
    after exit) later with the same instrument."""
    participants = _so_far(project, on)
    clients = set(participants.values_list("client_id", flat=True))
    complete = Administration.objects.filter(
        client_id__in=participants.values("client_id"),
        status=AdministrationStatus.COMPLETE,
        completed_at__gte=timezone.make_aware(datetime.combine(project.starts_on, time.min)),
        completed_at__lt=_end_of(min(project.ends_on, on)),
    )
    first_baseline: dict[tuple[int, str], datetime] = {}
    for client_id, code, completed_at in complete.filter(occasion=Occasion.BASELINE).values_list(
        "client_id", "instrument__code", "completed_at"
    ):
        key = (client_id, code)
        if completed_at is not None and (
            key not in first_baseline or completed_at < first_baseline[key]
        ):
            first_baseline[key] = completed_at
    twice: set[int] = set()
    for client_id, code, completed_at in complete.filter(
        occasion__in=FOLLOW_UP_OCCASIONS
    ).values_list("client_id", "instrument__code", "completed_at"):
        baseline = first_baseline.get((client_id, code))
        if baseline is not None and completed_at is not None and completed_at > baseline:
            twice.add(client_id)
    return LiveValue(value=len(twice & clients), denominator=len(clients), as_of=on)


FIGURES: dict[str, LiveFigure] = {
    figure.key: figure
    for figure in (
        LiveFigure(
            "case_manager",
            _("Participants with a named case manager"),
            _("Participants taking part today who have a case manager in an active episode."),
            with_case_manager,
        ),
        LiveFigure(
            "work_trial_feedback",
            _("Work trials with employer feedback"),
            _(
                "The participants' work trials started during the project, and of them "
                "those whose host has sent its feedback."
            ),
            work_trials_with_feedback,
        ),
        LiveFigure(
            "plans_on_time",
            _("Client plans reviewed on time"),
            _(
                "Participants taking part today with a client plan, and of them those whose "
                "plan is not overdue for review."
            ),
            plans_reviewed_on_time,
        ),
        LiveFigure(
            "in_work_at_exit",
            _("Participants in work at exit"),
            _(
                "Participants who have left, and of them those in employment, including "
                "self-employment, upon leaving."
            ),
            in_work_at_exit,
        ),
        LiveFigure(
            "measured_twice",
            _("Participants with a baseline and a follow-up measurement"),
            _(
                "Participants with a measurement at the start and a later follow-up "
                "measurement with the same instrument during the project."
            ),
            measured_twice,
        ),
    )
}


def figure_choices() -> list[tuple[str, str | Promise]]:
    return [(figure.key, figure.label) for figure in FIGURES.values()]


def live_value(key: str, project: Project, on: date | None = None) -> LiveValue | None:
    """The figure's value for the project, or None for a key no longer in the registry."""
    figure = FIGURES.get(key)
    return None if figure is None else figure.value(project, on)
