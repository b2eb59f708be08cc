"""Writes on a project's goals, actions and results, and the progress recorded on them.

Only the project's managers edit (``decisions.may_manage_project``); anyone else who may
read the project is refused with ``PermissionDenied``, everyone else with ``Http404``.
Goals, actions and results are the project's own plan, not client data: no access-log row.
Every change of an action or a result writes a ``ProgressChange`` row (each field's old and
new value, by whom, when, with the note); removing one keeps its history on the project.
Bad input raises a translated ``ValidationError`` and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import models, transaction
from django.db.models import Max
from django.http import Http404
from django.utils.translation import gettext as _

from polku.policy import decisions
from polku.policy.actors import Actor
from polku.projects import live_figures
from polku.projects.enums import EvidenceKind, ProgressStatus
from polku.projects.models import Goal, GoalAction, ProgressChange, Project, ResultMetric

TEXT_LENGTH = 2000
NOTE_LENGTH = 2000
RESPONSIBLE_LENGTH = 200
UNIT_LENGTH = 40
LINK_LENGTH = 500
DOCUMENT_NAME_LENGTH = 200
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
MAX_VALUE = Decimal("9999999999.99")

# The documents accepted as evidence, by name ending, with the type they are served as and
# the first bytes every such file begins with (so that a page renamed .pdf is refused).
PDF = (b"%PDF-",)
ZIP = (b"PK\x03\x04",)  # Office Open XML and OpenDocument files are zip archives
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # the older Office formats
DOCUMENT_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", PDF),
    ".doc": ("application/msword", OLE),
    ".xls": ("application/vnd.ms-excel", OLE),
    ".ppt": ("application/vnd.ms-powerpoint", OLE),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ZIP,
    ),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
    ".pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ZIP,
    ),
    ".odt": ("application/vnd.oasis.opendocument.text", ZIP),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", ZIP),
    ".odp": ("application/vnd.oasis.opendocument.presentation", ZIP),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".gif": ("image/gif", (b"GIF87a", b"GIF89a")),
}


@dataclass(frozen=True)
class Evidence:
    """The evidence given for a result: none, a document (a new upload, or None to keep
    the one stored), a link, or a live figure's key."""

    kind: str = EvidenceKind.NONE
    document: UploadedFile | None = None
    link: str = ""
    live_figure: str = ""


# The policy -------------------------------------------------------------------------------


def require_manager(actor: Actor, project: Project) -> None:
    if not decisions.may_read_project(actor, project):
        raise Http404
    if not decisions.may_manage_project(actor, project):
        raise PermissionDenied(_("Only the project's managers may change its goals and plans."))


# Cleaning ---------------------------------------------------------------------------------


def _text(value: str, field: str, *, length: int = TEXT_LENGTH, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > length:
        raise ValidationError({field: _("Write at most %(count)d characters.") % {"count": length}})
    return text


def _status(value: str) -> str:
    if value not in ProgressStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    return value


def _value(value: Decimal | int | str | None, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation as error:
        raise ValidationError({field: _("Enter a number.")}) from error
    if not number.is_finite() or number < 0 or number > MAX_VALUE:
        raise ValidationError(
            {field: _("Enter a number from 0 to %(max)s.") % {"max": "9 999 999 999"}}
        )
    if number != number.quantize(Decimal("0.01")):
        raise ValidationError({field: _("Enter the number with at most two decimals.")})
    return number.quantize(Decimal("0.01"))


def clean_link(link: str) -> str:
    """An http or https address, nothing else (no ``javascript:``, ``data:`` or files)."""
    link = (link or "").strip()
    if not link:
        raise ValidationError({"evidence_link": _("Give the address of the evidence.")})
    if len(link) > LINK_LENGTH:
        raise ValidationError(
            {"evidence_link": _("Write at most %(count)d characters.") % {"count": LINK_LENGTH}}
        )
    try:
        URLValidator(schemes=["http", "https"])(link)
    except ValidationError as error:
        raise ValidationError(
            {"evidence_link": _("Give a web address that begins with https:// or http://.")}
        ) from error
    return link


def clean_document(document: UploadedFile) -> tuple[str, str, bytes]:
    """The document's name, content type and bytes: PDF, Office or an image, at most 5 MB,
    its contents of the type its name says."""
    name = PurePath((document.name or "").replace("\\", "/")).name.strip()
    name = name[-DOCUMENT_NAME_LENGTH:]
    known = DOCUMENT_TYPES.get(PurePath(name).suffix.lower())
    if known is None:
        raise ValidationError(
            {
                "evidence_document": _(
                    "Attach a PDF, an Office document (Word, Excel, PowerPoint or "
                    "OpenDocument) or an image (PNG, JPEG or GIF)."
                )
            }
        )
    if document.size is not None and document.size > MAX_DOCUMENT_BYTES:
        raise ValidationError({"evidence_document": _("The document may be at most 5 MB.")})
    content = b"".join(document.chunks())
    if len(content) > MAX_DOCUMENT_BYTES:
        raise ValidationError({"evidence_document": _("The document may be at most 5 MB.")})
    content_type, signatures = known
    if not content.startswith(signatures):
        raise ValidationError(
            {"evidence_document": _("The document's contents are not of the type its name says.")}
        )
    return name, content_type, content


# Goals ------------------------------------------------------------------------------------


def _next_number(rows: models.QuerySet[Any]) -> int:
    return int(rows.aggregate(top=Max("number"))["top"] or 0) + 1


def _renumber(rows: models.QuerySet[Any]) -> None:
    """Number the rows 1, 2, 3… in their order; each only moves down, so no two collide."""
    for number, row in enumerate(rows.order_by("number", "pk"), start=1):
        if row.number != number:
            row.number = number
            row.save(update_fields=["number"])


def _history(
    actor: Actor,
    project: Project,
    changes: dict[str, Any],
    note: str = "",
    *,
    action: GoalAction | None = None,
    result: ResultMetric | None = None,
) -> ProgressChange:
    return ProgressChange.objects.create(
        project=project,
        action=action,
        result=result,
        changes=changes,
        note=note,
        changed_by=actor.person,
    )


@transaction.atomic
def add_goal(*, actor: Actor, project: Project, text: str) -> Goal:
    require_manager(actor, project)
    text = _text(text, "text")
    Project.objects.select_for_update().filter(pk=project.pk).first()
    return Goal.objects.create(
        project=project, number=_next_number(Goal.objects.filter(project=project)), text=text
    )


@transaction.atomic
def edit_goal(*, actor: Actor, goal: Goal, text: str) -> Goal:
    require_manager(actor, goal.project)
    text = _text(text, "text")
    if text != goal.text:
        _history(actor, goal.project, {"goal": {"old": goal.text, "new": text}})
        goal.text = text
        goal.save(update_fields=["text"])
    return goal


def _detach(project: Project, actions: models.QuerySet[GoalAction]) -> None:
    """Keep the history of what is removed on the project, with nothing to point to."""
    ProgressChange.objects.filter(project=project, action__in=actions).update(action=None)
    ProgressChange.objects.filter(project=project, result__action__in=actions).update(result=None)


@transaction.atomic
def remove_goal(*, actor: Actor, goal: Goal, note: str = "") -> None:
    project = goal.project
    require_manager(actor, project)
    _detach(project, GoalAction.objects.filter(goal=goal))
    _history(
        actor,
        project,
        {"removed_goal": {"old": f"{goal.number}. {goal.text}", "new": ""}},
        _text(note, "note", length=NOTE_LENGTH, required=False),
    )
    goal.delete()
    _renumber(Goal.objects.filter(project=project))


# Actions ----------------------------------------------------------------------------------


@transaction.atomic
def add_action(*, actor: Actor, goal: Goal, text: str, responsible: str = "") -> GoalAction:
    require_manager(actor, goal.project)
    text = _text(text, "text")
    responsible = _text(responsible, "responsible", length=RESPONSIBLE_LENGTH, required=False)
    Goal.objects.select_for_update().filter(pk=goal.pk).first()
    action = GoalAction.objects.create(
        goal=goal,
        number=_next_number(GoalAction.objects.filter(goal=goal)),
        text=text,
        responsible=responsible,
    )
    _history(actor, goal.project, {"created": {"old": "", "new": text}}, action=action)
    return action


def _diff(obj: models.Model, values: dict[str, Any]) -> dict[str, dict[str, Any]]:
    changes: dict[str, dict[str, Any]] = {}
    for field, new in values.items():
        old = getattr(obj, field)
        if old != new:
            changes[field] = {"old": _plain(old), "new": _plain(new)}
    return changes


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    return value


@transaction.atomic
def update_action(
    *,
    actor: Actor,
    action: GoalAction,
    text: str,
    responsible: str,
    status: str,
    note: str = "",
) -> GoalAction:
    """Record progress on an action (its status and who is responsible) or correct its
    text; one history row with every field changed and the note."""
    project = action.goal.project
    require_manager(actor, project)
    values = {
        "text": _text(text, "text"),
        "responsible": _text(responsible, "responsible", length=RESPONSIBLE_LENGTH, required=False),
        "status": _status(status),
    }
    note = _text(note, "note", length=NOTE_LENGTH, required=False)
    changes = _diff(action, values)
    if not changes and not note:
        raise ValidationError(_("Nothing was changed. Change a field or write a note."))
    for field, value in values.items():
        setattr(action, field, value)
    action.save(update_fields=list(values))
    _history(actor, project, changes, note, action=action)
    return action


@transaction.atomic
def remove_action(*, actor: Actor, action: GoalAction, note: str = "") -> None:
    goal = action.goal
    require_manager(actor, goal.project)
    _detach(goal.project, GoalAction.objects.filter(pk=action.pk))
    _history(
        actor,
        goal.project,
        {"removed_action": {"old": f"{goal.number}.{action.number} {action.text}", "new": ""}},
        _text(note, "note", length=NOTE_LENGTH, required=False),
    )
    action.delete()
    _renumber(GoalAction.objects.filter(goal=goal))


# Results ----------------------------------------------------------------------------------


@transaction.atomic
def add_result(
    *,
    actor: Actor,
    action: GoalAction,
    text: str,
    responsible: str = "",
    target_value: Decimal | int | str | None = None,
    target_unit: str = "",
) -> ResultMetric:
    project = action.goal.project
    require_manager(actor, project)
    text = _text(text, "text")
    responsible = _text(responsible, "responsible", length=RESPONSIBLE_LENGTH, required=False)
    target = _value(target_value, "target_value")
    unit = _text(target_unit, "target_unit", length=UNIT_LENGTH, required=False)
    GoalAction.objects.select_for_update().filter(pk=action.pk).first()
    result = ResultMetric.objects.create(
        action=action,
        number=_next_number(ResultMetric.objects.filter(action=action)),
        text=text,
        responsible=responsible,
        target_value=target,
        target_unit=unit,
        updated_by=actor.person,
    )
    _history(actor, project, {"created": {"old": "", "new": text}}, result=result)
    return result


def evidence_of(result: ResultMetric) -> dict[str, str]:
    """The result's evidence as the history keeps it: its kind and what it names."""
    detail = {
        EvidenceKind.DOCUMENT: result.evidence_name,
        EvidenceKind.LINK: result.evidence_link,
        EvidenceKind.LIVE_FIGURE: result.live_figure,
    }.get(EvidenceKind(result.evidence_kind), "")
    return {"kind": result.evidence_kind, "detail": detail}


def _apply_evidence(result: ResultMetric, evidence: Evidence) -> None:
    kind = evidence.kind
    if kind not in EvidenceKind.values:
        raise ValidationError({"evidence_kind": _("Choose the kind of evidence from the list.")})
    link, figure = "", ""
    name, content_type, document = "", "", None
    if kind == EvidenceKind.DOCUMENT:
        if evidence.document is not None:
            name, content_type, document = clean_document(evidence.document)
        elif result.evidence_kind == EvidenceKind.DOCUMENT and result.evidence_document:
            name, content_type = result.evidence_name, result.evidence_content_type
            document = bytes(result.evidence_document)
        else:
            raise ValidationError({"evidence_document": _("Attach the document.")})
    elif kind == EvidenceKind.LINK:
        link = clean_link(evidence.link)
    elif kind == EvidenceKind.LIVE_FIGURE:
        if evidence.live_figure not in live_figures.FIGURES:
            raise ValidationError({"live_figure": _("Choose a live figure from the list.")})
        figure = evidence.live_figure
    result.evidence_kind = kind
    result.evidence_link = link
    result.live_figure = figure
    result.evidence_name = name
    result.evidence_content_type = content_type
    result.evidence_document = document


EVIDENCE_FIELDS = [
    "evidence_kind",
    "evidence_link",
    "live_figure",
    "evidence_name",
    "evidence_content_type",
    "evidence_document",
]


@transaction.atomic
def update_result(
    *,
    actor: Actor,
    result: ResultMetric,
    text: str,
    responsible: str,
    status: str,
    target_value: Decimal | int | str | None,
    target_unit: str,
    achieved_value: Decimal | int | str | None,
    evidence: Evidence | None = None,
    note: str = "",
) -> ResultMetric:
    """Record progress on a result: status, who is responsible, target and achieved value,
    evidence (unchanged when ``evidence`` is None); one history row with every field
    changed and the note."""
    project = result.action.goal.project
    require_manager(actor, project)
    values = {
        "text": _text(text, "text"),
        "responsible": _text(responsible, "responsible", length=RESPONSIBLE_LENGTH, required=False),
        "status": _status(status),
        "target_value": _value(target_value, "target_value"),
        "target_unit": _text(target_unit, "target_unit", length=UNIT_LENGTH, required=False),
        "achieved_value": _value(achieved_value, "achieved_value"),
    }
    note = _text(note, "note", length=NOTE_LENGTH, required=False)
    locked = ResultMetric.objects.select_for_update().get(pk=result.pk)
    changes = _diff(locked, values)
    before = evidence_of(locked)
    document_before = locked.evidence_document
    if evidence is not None:
        _apply_evidence(locked, evidence)
        after = evidence_of(locked)
        new_document = evidence.kind == EvidenceKind.DOCUMENT and evidence.document is not None
        if after != before or (new_document and locked.evidence_document != document_before):
            changes["evidence"] = {"old": before, "new": after}
    if not changes and not note:
        raise ValidationError(_("Nothing was changed. Change a field or write a note."))
    for field, value in values.items():
        setattr(locked, field, value)
    locked.updated_by = actor.person
    locked.save(update_fields=[*values, *EVIDENCE_FIELDS, "updated_by", "updated_at"])
    _history(actor, project, changes, note, result=locked)
    return locked


@transaction.atomic
def remove_result(*, actor: Actor, result: ResultMetric, note: str = "") -> None:
    action = result.action
    project = action.goal.project
    require_manager(actor, project)
    ProgressChange.objects.filter(result=result).update(result=None)
    _history(
        actor,
        project,
        {
            "removed_result": {
                "old": f"{action.goal.number}.{action.number}.{result.number} {result.text}",
                "new": "",
            }
        },
        _text(note, "note", length=NOTE_LENGTH, required=False),
    )
    result.delete()
    _renumber(ResultMetric.objects.filter(action=action))
