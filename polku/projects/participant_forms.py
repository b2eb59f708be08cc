"""Forms for enrolling a client in a project and recording the participant's details."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from polku.clients.forms import DateInput
from polku.projects.enums import EducationLevel, LabourStatus, SensitiveAnswer

YES, NO = "yes", "no"


def _not_known(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("– not known –")), *choices]


def tri_state() -> forms.TypedChoiceField:
    """Yes, no or not known (None), as the ESF+ results are kept."""
    return forms.TypedChoiceField(
        choices=[("", _("Not known")), (YES, _("Yes")), (NO, _("No"))],
        coerce=lambda value: value == YES,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


def tri_state_initial(value: bool | None) -> str:
    return "" if value is None else (YES if value else NO)


class PrefilledForm(forms.Form):
    """A form some of whose initial values Polku already knew: each such field says where
    its value came from, for the user to check and confirm."""

    tri_state_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, prefill: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not prefill:
            return
        for name, prefilled in prefill.values.items():
            if name not in self.fields:
                continue
            value = prefilled.value
            self.initial[name] = (
                tri_state_initial(value) if name in self.tri_state_fields else value
            )
            note = _("Prefilled %(source)s. Check it and correct it if needed.") % {
                "source": prefilled.source
            }
            known = self.fields[name].help_text
            self.fields[name].help_text = f"{note} {known}" if known else note


class EntryForm(PrefilledForm):
    prefix = "entry"
    entered_on = forms.DateField(
        label=_("Entry date"),
        widget=DateInput(),
        error_messages={"required": _("Give the entry date.")},
        help_text=_("Within the project's period, not in the future."),
    )
    labour_status = forms.ChoiceField(
        label=_("Labour-market status at entry"),
        choices=_not_known(LabourStatus.choices),
        required=False,
        help_text=_("Long-term unemployed: unemployed for 12 months or more without a break."),
    )
    education_level = forms.ChoiceField(
        label=_("Highest completed education (ISCED 2011)"),
        choices=_not_known(EducationLevel.choices),
        required=False,
    )


class SensitiveForm(forms.Form):
    """Each item may be answered yes or no, declined, or left unasked."""

    prefix = "sensitive"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("Not asked")), *SensitiveAnswer.choices]
        labels = {
            "disability": _("Person with disabilities"),
            "third_country_national": _("Third-country national"),
            "foreign_background": _("Person with a foreign background"),
            "minority": _("Minority (including marginalised communities such as the Roma)"),
            "homeless": _("Homeless or affected by housing exclusion"),
        }
        for name, label in labels.items():
            self.fields[name] = forms.ChoiceField(
                label=label, choices=choices, required=False, widget=forms.RadioSelect
            )


class ExitForm(PrefilledForm):
    prefix = "exit"
    tri_state_fields = ("job_searching", "in_education", "qualification", "employed")

    left_on = forms.DateField(
        label=_("Leaving date"),
        widget=DateInput(),
        error_messages={"required": _("Give the leaving date.")},
    )
    observed_on = forms.DateField(
        label=_("Situation observed on"),
        widget=DateInput(),
        required=False,
        help_text=_(
            "Upon leaving means within four weeks after the leaving date; a later "
            "observation is kept but not counted as upon leaving."
        ),
    )
    job_searching = tri_state()
    in_education = tri_state()
    qualification = tri_state()
    employed = tri_state()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["job_searching"].label = _("Engaged in job searching upon leaving")
        self.fields["in_education"].label = _("In education or training upon leaving")
        self.fields["qualification"].label = _("Gained a qualification upon leaving")
        self.fields["employed"].label = _("In employment, including self-employment, upon leaving")


class FollowUpForm(PrefilledForm):
    prefix = "follow_up"
    tri_state_fields = ("employed", "improved")

    observed_on = forms.DateField(
        label=_("Situation observed on"),
        widget=DateInput(),
        error_messages={"required": _("Give the date on which the situation was observed.")},
        help_text=_("About six months after leaving."),
    )
    employed = tri_state()
    improved = tri_state()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employed"].label = _(
            "In employment, including self-employment, six months after leaving"
        )
        self.fields["improved"].label = _(
            "Improved labour-market situation six months after leaving"
        )
