"""Forms for the job-coaching screens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import User
from polku.clients.forms import DateInput, end_date_field
from polku.core.forms import reason_choices
from polku.employment.coaching_enums import (
    FOLLOW_UP_MONTHS,
    STAGE_TRANSITIONS,
    ContactKind,
    Occasion,
    Stage,
    TransitionKind,
)
from polku.pathways.forms import client_workers


class StartCoachingForm(forms.Form):
    coach = forms.ModelChoiceField(label=_("Job coach"), queryset=User.objects.none())
    started_on = forms.DateField(
        label=_("Start date"),
        widget=DateInput(),
        required=False,
        help_text=_("Today, if left empty."),
    )

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = client_workers([organisation_id])  # type: ignore[attr-defined]


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("New stage"), choices=[])
    started_on = forms.DateField(
        label=_("Start date"),
        widget=DateInput(),
        required=False,
        help_text=_("Today, if left empty."),
    )

    def __init__(self, *args: Any, current: Stage | str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = STAGE_TRANSITIONS[Stage(current)]
        self.fields["stage"].choices = [  # type: ignore[attr-defined]
            (stage.value, stage.label) for stage in Stage if stage in allowed
        ]


def _own_words(label: Any, help_text: Any) -> forms.CharField:
    """A text the client's own words go in."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
    )


class ProfileForm(forms.Form):
    job_preferences = _own_words(
        _("Job preferences"), _("In the client's own words: what work, where, when.")
    )
    strengths = _own_words(_("Strengths"), _("In the client's own words."))
    supports_needed = _own_words(
        _("Supports needed"),
        _("In the client's own words: what helps them get and keep a job."),
    )
    next_step = forms.CharField(label=_("Next step"), required=False, max_length=300)
    next_step_on = forms.DateField(label=_("Next step by"), widget=DateInput(), required=False)


class ContactForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of contact"),
        choices=reason_choices(ContactKind.choices),
        error_messages={"required": _("Choose the kind of contact.")},
    )
    contacted_on = forms.DateField(
        label=_("Date"), widget=DateInput(), required=False, help_text=_("Today, if left empty.")
    )
    note = forms.CharField(label=_("Short note"), required=False, max_length=500)


def transition_field(label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=reason_choices(TransitionKind.choices),
        error_messages={"required": _("Choose where the client goes after the coaching.")},
    )


class EndCoachingForm(forms.Form):
    transition = transition_field(_("Where the client goes after the coaching"))
    ended_on = end_date_field()


class FollowUpForm(forms.Form):
    occasion = forms.ChoiceField(
        label=_("Follow-up"),
        choices=[(o.value, o.label) for o in Occasion if o in FOLLOW_UP_MONTHS],
    )
    kind = forms.ChoiceField(
        label=_("Where the client is now"),
        choices=reason_choices(TransitionKind.choices),
        error_messages={"required": _("Choose where the client is now.")},
    )
    observed_on = forms.DateField(
        label=_("Date"), widget=DateInput(), required=False, help_text=_("Today, if left empty.")
    )
