"""Writes on a project's communication plan and evaluation plan: adding, editing and
removing rows, and setting a row's status.

Only the project's managers edit (``tracking_services.require_manager``); the plans are the
project's own, not client data: no access-log row. Bad input raises a translated
``ValidationError`` and changes nothing.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from polku.policy.actors import Actor
from polku.projects.enums import ProgressStatus
from polku.projects.models import CommunicationItem, EvaluationQuestion, Project
from polku.projects.tracking_services import require_manager

TEXT_LENGTH = 2000
SHORT_LENGTH = 200

# Each plan's fields: (name, longest length, required).
COMMUNICATION_FIELDS = (
    ("goal", TEXT_LENGTH, True),
    ("target_groups", TEXT_LENGTH, True),
    ("channels", TEXT_LENGTH, True),
    ("timing", SHORT_LENGTH, True),
    ("responsible", SHORT_LENGTH, True),
)
EVALUATION_FIELDS = (
    ("question", TEXT_LENGTH, True),
    ("data", TEXT_LENGTH, True),
    ("source", TEXT_LENGTH, True),
    ("method", TEXT_LENGTH, True),
    ("timing", SHORT_LENGTH, True),
)

PlanRow = CommunicationItem | EvaluationQuestion


def _cleaned(fields: tuple[tuple[str, int, bool], ...], values: dict[str, str]) -> dict[str, str]:
    cleaned: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name, length, required in fields:
        text = (values.get(name) or "").strip()
        if required and not text:
            errors[name] = _("This field is required.")
        elif len(text) > length:
            errors[name] = _("Write at most %(count)d characters.") % {"count": length}
        cleaned[name] = text
    if errors:
        raise ValidationError(errors)
    return cleaned


def _status(status: str) -> str:
    if status not in ProgressStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    return status


def _fields_of(row: PlanRow) -> tuple[tuple[str, int, bool], ...]:
    return COMMUNICATION_FIELDS if isinstance(row, CommunicationItem) else EVALUATION_FIELDS


@transaction.atomic
def add_communication_item(
    *,
    actor: Actor,
    project: Project,
    goal: str,
    target_groups: str,
    channels: str,
    timing: str,
    responsible: str,
    status: str = ProgressStatus.NOT_STARTED,
) -> CommunicationItem:
    require_manager(actor, project)
    values = _cleaned(
        COMMUNICATION_FIELDS,
        {
            "goal": goal,
            "target_groups": target_groups,
            "channels": channels,
            "timing": timing,
            "responsible": responsible,
        },
    )
    top = CommunicationItem.objects.filter(project=project).aggregate(top=Max("position"))["top"]
    return CommunicationItem.objects.create(
        project=project, position=(top or 0) + 1, status=_status(status), **values
    )


@transaction.atomic
def add_evaluation_question(
    *,
    actor: Actor,
    project: Project,
    question: str,
    data: str,
    source: str,
    method: str,
    timing: str,
    status: str = ProgressStatus.NOT_STARTED,
) -> EvaluationQuestion:
    require_manager(actor, project)
    values = _cleaned(
        EVALUATION_FIELDS,
        {"question": question, "data": data, "source": source, "method": method, "timing": timing},
    )
    top = EvaluationQuestion.objects.filter(project=project).aggregate(top=Max("position"))["top"]
    return EvaluationQuestion.objects.create(
        project=project, position=(top or 0) + 1, status=_status(status), **values
    )


@transaction.atomic
def edit_plan_row(*, actor: Actor, row: PlanRow, status: str, **values: str) -> PlanRow:
    """Change a row of either plan: its texts (the plan's fields, all given) and status."""
    require_manager(actor, row.project)
    names = {name for name, _length, _required in _fields_of(row)}
    if set(values) != names:
        raise TypeError(f"edit_plan_row takes exactly {sorted(names)}")
    cleaned = _cleaned(_fields_of(row), values)
    status = _status(status)
    for name, text in cleaned.items():
        setattr(row, name, text)
    row.status = status
    row.save(update_fields=[*cleaned, "status"])
    return row


@transaction.atomic
def set_plan_row_status(*, actor: Actor, row: PlanRow, status: str) -> PlanRow:
    require_manager(actor, row.project)
    row.status = _status(status)
    row.save(update_fields=["status"])
    return row


@transaction.atomic
def remove_plan_row(*, actor: Actor, row: PlanRow) -> None:
    require_manager(actor, row.project)
    row.delete()
