"""Forms of the goal → action → result pages. They check the shape of the input; the
services check the rest (a link's address, a document's type and size)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from polku.projects import live_figures
from polku.projects.enums import EvidenceKind, ProgressStatus
from polku.projects.models import GoalAction, ResultMetric
from polku.projects.tracking_services import (
    LINK_LENGTH,
    NOTE_LENGTH,
    RESPONSIBLE_LENGTH,
    TEXT_LENGTH,
    UNIT_LENGTH,
    Evidence,
)


def _value_field(label: Any, help_text: Any = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )


def _note_field() -> forms.CharField:
    return forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What happened, or why the change: kept in the history."),
    )


def _shown(value: Decimal | None) -> Decimal | int | None:
    """A stored value as the form shows it: 40, not 40.00."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else value


class GoalForm(forms.Form):
    text = forms.CharField(
        label=_("Goal"), max_length=TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )


class ActionForm(forms.Form):
    text = forms.CharField(
        label=_("Action"), max_length=TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )
    responsible = forms.CharField(
        label=_("Responsible"), required=False, max_length=RESPONSIBLE_LENGTH
    )


class ActionProgressForm(ActionForm):
    status = forms.ChoiceField(label=_("Status"), choices=ProgressStatus.choices)
    note = _note_field()

    @staticmethod
    def initial_of(action: GoalAction) -> dict[str, Any]:
        return {"text": action.text, "responsible": action.responsible, "status": action.status}


class ResultForm(forms.Form):
    text = forms.CharField(
        label=_("Result or metric"),
        max_length=TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    responsible = forms.CharField(
        label=_("Responsible"), required=False, max_length=RESPONSIBLE_LENGTH
    )
    target_value = _value_field(_("Target value"))
    target_unit = forms.CharField(
        label=_("Unit"),
        required=False,
        max_length=UNIT_LENGTH,
        help_text=_("For example: participants, events, per cent."),
    )


class ResultProgressForm(ResultForm):
    status = forms.ChoiceField(label=_("Status"), choices=ProgressStatus.choices)
    achieved_value = _value_field(
        _("Achieved value"),
        _("Not needed when a live figure is the evidence: Polku counts it."),
    )
    evidence_kind = forms.ChoiceField(
        label=_("Evidence"),
        required=False,
        choices=EvidenceKind.choices,
        widget=forms.RadioSelect,
    )
    evidence_link = forms.CharField(
        label=_("Link"),
        required=False,
        max_length=LINK_LENGTH,
        help_text=_("A web address beginning with https:// or http://."),
    )
    evidence_document = forms.FileField(
        label=_("Document"),
        required=False,
        help_text=_(
            "PDF, Word, Excel, PowerPoint, OpenDocument or an image (PNG, JPEG, GIF), at "
            "most 5 MB. Leave empty to keep the document already attached."
        ),
    )
    live_figure = forms.ChoiceField(label=_("Live figure"), required=False, choices=[])
    note = _note_field()

    field_order = [
        "status",
        "responsible",
        "target_value",
        "target_unit",
        "achieved_value",
        "evidence_kind",
        "evidence_link",
        "evidence_document",
        "live_figure",
        "note",
        "text",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["live_figure"].choices = [  # type: ignore[attr-defined]
            ("", _("– choose –")),
            *live_figures.figure_choices(),
        ]

    @staticmethod
    def initial_of(result: ResultMetric) -> dict[str, Any]:
        return {
            "text": result.text,
            "responsible": result.responsible,
            "status": result.status,
            "target_value": _shown(result.target_value),
            "target_unit": result.target_unit,
            "achieved_value": _shown(result.achieved_value),
            "evidence_kind": result.evidence_kind,
            "evidence_link": result.evidence_link,
            "live_figure": result.live_figure,
        }

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        evidence = Evidence(
            kind=data.pop("evidence_kind") or EvidenceKind.NONE,
            document=data.pop("evidence_document"),
            link=data.pop("evidence_link"),
            live_figure=data.pop("live_figure"),
        )
        return {**data, "evidence": evidence}


class RemoveForm(forms.Form):
    note = forms.CharField(
        label=_("Why it is removed"),
        required=False,
        max_length=NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the project's history."),
    )
