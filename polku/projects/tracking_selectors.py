"""Reads of a project's goal → action → result table and its history.

``progress_table`` is the table as the self-evaluation page and the funder's report show
it: frozen dataclasses, live figures computed on the day asked. It asks no policy: its
callers reach the project through ``readable_project`` (or act as the report's system
job). The ``readable_*`` helpers answer ``Http404`` to anyone who may not read the
project, whatever the record.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from uuid import UUID

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from polku.policy import decisions
from polku.policy.actors import Actor
from polku.projects import live_figures
from polku.projects.enums import EvidenceKind, ProgressStatus
from polku.projects.models import Goal, GoalAction, ProgressChange, Project, ResultMetric
from polku.projects.project_selectors import access_project

# Access -----------------------------------------------------------------------------------


def readable_project(actor: Actor, public_id: UUID | str) -> Project:
    """The project, when the actor may read it (``project_selectors.access_project``)."""
    return access_project(actor, public_id)


def readable_goal(actor: Actor, public_id: UUID | str) -> Goal:
    goal = (
        Goal.objects.select_related("project__programme")
        .filter(public_id=decisions.public_id_or_404(public_id))
        .first()
    )
    if goal is None or not decisions.may_read_project(actor, goal.project):
        raise Http404
    return goal


def readable_action(actor: Actor, public_id: UUID | str) -> GoalAction:
    action = (
        GoalAction.objects.select_related("goal__project__programme")
        .filter(public_id=decisions.public_id_or_404(public_id))
        .first()
    )
    if action is None or not decisions.may_read_project(actor, action.goal.project):
        raise Http404
    return action


def readable_result(actor: Actor, public_id: UUID | str) -> ResultMetric:
    result = (
        ResultMetric.objects.select_related("action__goal__project__programme")
        .filter(public_id=decisions.public_id_or_404(public_id))
        .first()
    )
    if result is None or not decisions.may_read_project(actor, result.action.goal.project):
        raise Http404
    return result


# The table --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LastChange:
    changed_at: datetime
    changed_by: str


@dataclass(frozen=True)
class EvidenceShown:
    """A result's evidence: ``kind`` (an ``EvidenceKind`` value), what it is in words,
    the link's address, the document's name, or the live figure's label and value."""

    kind: str
    description: str
    link: str = ""
    document_name: str = ""
    live_label: str = ""
    live_value: live_figures.LiveValue | None = None


@dataclass(frozen=True)
class ResultProgress:
    public_id: UUID
    number: str  # "1.2.3": goal, action, result
    text: str
    status: str
    status_label: str
    responsible: str
    target_value: Decimal | None
    target_unit: str
    achieved_value: Decimal | None
    evidence: EvidenceShown
    last_change: LastChange | None

    @property
    def achieved(self) -> str:
        """What has been achieved: the live figure when that is the evidence, else the
        value entered, else a dash."""
        if self.evidence.live_value is not None:
            return str(self.evidence.live_value)
        if self.achieved_value is not None:
            return _number(self.achieved_value, self.target_unit)
        return "–"

    @property
    def target(self) -> str:
        if self.target_value is None:
            return self.target_unit or "–"
        return _number(self.target_value, self.target_unit)

    @property
    def is_done(self) -> bool:
        return self.status == ProgressStatus.DONE


@dataclass(frozen=True)
class ActionProgress:
    public_id: UUID
    number: str  # "1.2": goal, action
    text: str
    status: str
    status_label: str
    responsible: str
    results: tuple[ResultProgress, ...]
    last_change: LastChange | None


@dataclass(frozen=True)
class GoalProgress:
    public_id: UUID
    number: str
    text: str
    actions: tuple[ActionProgress, ...]
    results_achieved: int
    results_counted: int  # the results not dropped

    @property
    def share(self) -> Decimal | None:
        """Results achieved of those counted, in whole per cent; None when none counted."""
        return _share(self.results_achieved, self.results_counted)

    @property
    def results(self) -> tuple[ResultProgress, ...]:
        return tuple(result for action in self.actions for result in action.results)


@dataclass(frozen=True)
class ProgressSummary:
    goals: int
    actions: int
    results: int
    results_achieved: int
    results_counted: int

    @property
    def share(self) -> Decimal | None:
        return _share(self.results_achieved, self.results_counted)


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def _number(value: Decimal, unit: str) -> str:
    if value == value.to_integral():
        shown = number_format(int(value))
    else:
        shown = number_format(value, decimal_pos=2)
    return f"{shown} {unit}".strip()


def status_label(status: str) -> str:
    try:
        return str(ProgressStatus(status).label)
    except ValueError:
        return status


def _last_changes(project: Project) -> tuple[dict[int, LastChange], dict[int, LastChange]]:
    by_action: dict[int, LastChange] = {}
    by_result: dict[int, LastChange] = {}
    rows = (
        ProgressChange.objects.filter(project=project)
        .select_related("changed_by")
        .order_by("changed_at", "pk")
    )
    for row in rows:
        change = LastChange(row.changed_at, str(row.changed_by))
        if row.action_id is not None:
            by_action[row.action_id] = change
        if row.result_id is not None:
            by_result[row.result_id] = change
    return by_action, by_result


def evidence_shown(
    result: ResultMetric, project: Project, on: date, cache: dict[str, Any] | None = None
) -> EvidenceShown:
    kind = result.evidence_kind
    if kind == EvidenceKind.LINK:
        return EvidenceShown(
            kind,
            _("Link: %(address)s") % {"address": result.evidence_link},
            link=result.evidence_link,
        )
    if kind == EvidenceKind.DOCUMENT:
        return EvidenceShown(
            kind,
            _("Document: %(name)s") % {"name": result.evidence_name},
            document_name=result.evidence_name,
        )
    if kind == EvidenceKind.LIVE_FIGURE:
        figure = live_figures.FIGURES.get(result.live_figure)
        if figure is None:
            return EvidenceShown(kind, _("A live figure no longer available"))
        cache = {} if cache is None else cache
        if figure.key not in cache:
            cache[figure.key] = figure.value(project, on)
        value = cache[figure.key]
        return EvidenceShown(
            kind,
            _("Live figure: %(label)s, %(value)s") % {"label": figure.label, "value": value},
            live_label=str(figure.label),
            live_value=value,
        )
    return EvidenceShown(kind, _("No evidence yet"))


def _goals(project: Project) -> QuerySet[Goal]:
    return Goal.objects.filter(project=project).prefetch_related(
        Prefetch(
            "actions",
            queryset=GoalAction.objects.order_by("number", "pk").prefetch_related(
                Prefetch("results", queryset=ResultMetric.objects.order_by("number", "pk"))
            ),
        )
    )


def progress_table(
    project: Project,
    *,
    on: date | None = None,
    live: dict[str, live_figures.LiveValue] | None = None,
) -> list[GoalProgress]:
    """The project's goals with their actions and results, in order, each with its status,
    who is responsible, target, what is achieved (a live figure computed on ``on``, today
    by default), evidence and last change; each goal with its results achieved of those
    not dropped. ``live`` holds live figures already computed for that day, by key; the
    figures computed here are added to it."""
    on = on or timezone.localdate()
    action_changes, result_changes = _last_changes(project)
    figures: dict[str, Any] = {} if live is None else live
    table: list[GoalProgress] = []
    for goal in _goals(project):
        actions: list[ActionProgress] = []
        for action in goal.actions.all():
            results = tuple(
                ResultProgress(
                    public_id=result.public_id,
                    number=f"{goal.number}.{action.number}.{result.number}",
                    text=result.text,
                    status=result.status,
                    status_label=status_label(result.status),
                    responsible=result.responsible,
                    target_value=result.target_value,
                    target_unit=result.target_unit,
                    achieved_value=result.achieved_value,
                    evidence=evidence_shown(result, project, on, figures),
                    last_change=result_changes.get(result.pk),
                )
                for result in action.results.all()
            )
            actions.append(
                ActionProgress(
                    public_id=action.public_id,
                    number=f"{goal.number}.{action.number}",
                    text=action.text,
                    status=action.status,
                    status_label=status_label(action.status),
                    responsible=action.responsible,
                    results=results,
                    last_change=action_changes.get(action.pk),
                )
            )
        counted = [
            result
            for action_row in actions
            for result in action_row.results
            if result.status != ProgressStatus.DROPPED
        ]
        table.append(
            GoalProgress(
                public_id=goal.public_id,
                number=str(goal.number),
                text=goal.text,
                actions=tuple(actions),
                results_achieved=sum(1 for result in counted if result.is_done),
                results_counted=len(counted),
            )
        )
    return table


def progress_summary(table: Iterable[GoalProgress]) -> ProgressSummary:
    """The whole table in figures: goals, actions, results, and results achieved of those
    not dropped."""
    goals = list(table)
    return ProgressSummary(
        goals=len(goals),
        actions=sum(len(goal.actions) for goal in goals),
        results=sum(len(goal.results) for goal in goals),
        results_achieved=sum(goal.results_achieved for goal in goals),
        results_counted=sum(goal.results_counted for goal in goals),
    )


# History ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangedField:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryRow:
    changed_at: datetime
    changed_by: str
    fields: tuple[ChangedField, ...]
    note: str


def _field_labels() -> dict[str, str]:
    return {
        "text": _("Text"),
        "goal": _("Goal"),
        "responsible": _("Responsible"),
        "status": _("Status"),
        "target_value": _("Target value"),
        "target_unit": _("Unit"),
        "achieved_value": _("Achieved value"),
        "evidence": _("Evidence"),
        "created": _("Added"),
        "removed_goal": _("Goal removed"),
        "removed_action": _("Action removed"),
        "removed_result": _("Result removed"),
    }


def _evidence_words(value: Any) -> str:
    if not isinstance(value, dict) or not value.get("kind"):
        return str(_("No evidence yet"))
    detail = str(value.get("detail", ""))
    if value["kind"] == EvidenceKind.LIVE_FIGURE:
        figure = live_figures.FIGURES.get(detail)
        detail = str(figure.label) if figure is not None else detail
    try:
        kind = str(EvidenceKind(value["kind"]).label)
    except ValueError:
        kind = str(value["kind"])
    return f"{kind}: {detail}" if detail else kind


def _words(field: str, value: Any) -> str:
    if field == "status":
        return status_label(str(value)) if value else "–"
    if field == "evidence":
        return _evidence_words(value)
    if value is None or value == "":
        return "–"
    if field in {"target_value", "achieved_value"}:
        return _number(Decimal(str(value)), "")
    return str(value)


def history_rows(changes: Iterable[ProgressChange]) -> list[HistoryRow]:
    labels = _field_labels()
    return [
        HistoryRow(
            changed_at=change.changed_at,
            changed_by=str(change.changed_by),
            fields=tuple(
                ChangedField(
                    labels.get(field, field),
                    _words(field, values.get("old")),
                    _words(field, values.get("new")),
                )
                for field, values in change.changes.items()
            ),
            note=change.note,
        )
        for change in changes
    ]


def action_history(action: GoalAction) -> list[HistoryRow]:
    return history_rows(ProgressChange.objects.filter(action=action).select_related("changed_by"))


def result_history(result: ResultMetric) -> list[HistoryRow]:
    return history_rows(ProgressChange.objects.filter(result=result).select_related("changed_by"))


def project_history(project: Project, *, limit: int = 50) -> list[HistoryRow]:
    """The project's latest changes, those of removed goals, actions and results too."""
    return history_rows(
        ProgressChange.objects.filter(project=project).select_related("changed_by")[:limit]
    )
