"""Forms for starting and ending a placement."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from polku.clients.forms import DateInput, end_date_field
from polku.core.forms import reason_choices
from polku.core.models import Occupation
from polku.employment.models import Employer
from polku.employment.placement_enums import (
    EndReason,
    PlacementKind,
    PlacementTerms,
)

# The level of the occupation code set offered: its minor groups (three digits).
OCCUPATION_CODE_LENGTH = 3


def occupation_choices() -> list[tuple[str, Any]]:
    """The occupations' minor groups, grouped by their major group, named in the reader's
    language; one query."""
    entries = list(Occupation.objects.order_by("code"))
    majors = {o.code: o.name for o in entries if o.parent_id is None}
    groups: dict[str, list[tuple[str, str]]] = {}
    for occupation in entries:
        if len(occupation.code) == OCCUPATION_CODE_LENGTH:
            groups.setdefault(occupation.code[0], []).append(
                (occupation.code, f"{occupation.code} {occupation.name}")
            )
    return [
        ("", _("– choose –")),
        *((f"{code} {majors.get(code, '')}", choices) for code, choices in groups.items()),
    ]


class StartPlacementForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Job or studies"),
        choices=reason_choices(PlacementKind.choices),
        error_messages={"required": _("Choose whether this is a job or studies.")},
    )
    employer = forms.ModelChoiceField(
        label=_("Employer or educational institution"),
        queryset=Employer.objects.none(),
        help_text=_("From the employer register; add it there first if it is missing."),
        error_messages={
            "required": _("Choose the employer or educational institution."),
            "invalid_choice": _("Choose the employer or educational institution."),
        },
    )
    occupation = forms.ChoiceField(
        label=_("Occupation"),
        choices=[],
        required=False,
        help_text=_("Classification of Occupations 2010. Required for a job."),
    )
    job_title = forms.CharField(label=_("Job title"), required=False, max_length=200)
    terms = forms.ChoiceField(
        label=_("Terms"),
        choices=reason_choices(PlacementTerms.choices),
        required=False,
        help_text=_("For a job: the open labour market, or subsidised."),
    )
    hours_per_week = forms.DecimalField(
        label=_("Hours per week"),
        required=False,
        max_digits=4,
        decimal_places=1,
        help_text=_("Required for a job; more than 0 and at most 60."),
    )
    started_on = forms.DateField(
        label=_("Start date"),
        widget=DateInput(),
        required=False,
        help_text=_("Today, if left empty; at most 60 days ahead."),
    )
    supports_agreed = forms.CharField(
        label=_("Supports agreed with the employer"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = Employer.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["occupation"].choices = occupation_choices()  # type: ignore[attr-defined]

    def clean_occupation(self) -> Occupation | None:
        code = self.cleaned_data.get("occupation")
        return Occupation.objects.filter(code=code).first() if code else None


class EndPlacementForm(forms.Form):
    end_reason = forms.ChoiceField(
        label=_("Reason for ending"),
        choices=reason_choices(EndReason.choices),
        error_messages={"required": _("Choose the reason for ending.")},
    )
    ended_on = end_date_field()
    end_note = forms.CharField(label=_("Note on the ending"), required=False, max_length=500)
