"""Forms of the communication and evaluation plan pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from polku.projects.enums import ProgressStatus
from polku.projects.models import CommunicationItem, EvaluationQuestion
from polku.projects.plan_services import SHORT_LENGTH, TEXT_LENGTH


def _long(label: Any, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=TEXT_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _status() -> forms.ChoiceField:
    return forms.ChoiceField(label=_("Status"), choices=ProgressStatus.choices)


class CommunicationItemForm(forms.Form):
    goal = _long(_("Communication goal"))
    target_groups = _long(_("Target groups"))
    channels = _long(_("Channels"), _("For example: web pages, social media, events, e-mail."))
    timing = forms.CharField(label=_("Timing"), max_length=SHORT_LENGTH)
    responsible = forms.CharField(label=_("Responsible"), max_length=SHORT_LENGTH)
    status = _status()

    @staticmethod
    def initial_of(row: CommunicationItem) -> dict[str, Any]:
        return {name: getattr(row, name) for name in CommunicationItemForm.base_fields}


class EvaluationQuestionForm(forms.Form):
    question = _long(_("Evaluation question"))
    data = _long(_("Data"), _("What information answers the question."))  # type: ignore[assignment]
    source = _long(_("From whom"))
    method = _long(_("Method"))
    timing = forms.CharField(label=_("Timing"), max_length=SHORT_LENGTH)
    status = _status()

    @staticmethod
    def initial_of(row: EvaluationQuestion) -> dict[str, Any]:
        return {name: getattr(row, name) for name in EvaluationQuestionForm.base_fields}


class StatusForm(forms.Form):
    status = _status()
