"""Forms for the pathway screens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from polku.accounts.enums import CLIENT_WORK_ROLES
from polku.accounts.models import Organisation, Unit, User
from polku.clients.forms import DateInput
from polku.pathways.enums import GAS_LEVELS, EndReason, EntryType, Phase, Urgency
from polku.pathways.models import Programme
from polku.policy.enums import CONSENT_PURPOSES, DataCategory, LegalBasis, Purpose, Register


def client_workers(organisation_ids: list[int]) -> Any:
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation_id__in=organisation_ids,
            memberships__role__in=CLIENT_WORK_ROLES,
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


class EpisodeForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.all())
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    started_on = forms.DateField(label=_("Start date"), widget=DateInput(), required=False)
    case_manager = forms.ModelChoiceField(
        label=_("Case manager"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("The one person responsible for the client's whole pathway."),
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [organisation.pk for organisation in organisations]
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=ids)  # type: ignore[attr-defined]
        self.fields["case_manager"].queryset = client_workers(ids)  # type: ignore[attr-defined]


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(label=_("New phase"), choices=Phase.choices)
    started_on = forms.DateField(label=_("Start date"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = programme.phase_choices()  # type: ignore[attr-defined]


class PersonForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Professional"), queryset=User.objects.none())

    def __init__(self, *args: Any, organisation_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = client_workers(organisation_ids)  # type: ignore[attr-defined]


class HandoverForm(PersonForm):
    note = forms.CharField(
        label=_("Note for the new case manager"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TeamMemberForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Professional"),
        queryset=User.objects.filter(is_active=True, memberships__role__in=CLIENT_WORK_ROLES)
        .distinct()
        .order_by("last_name", "first_name"),
    )
    organisation = forms.ModelChoiceField(
        label=_("Their organisation"), queryset=Organisation.objects.filter(is_active=True)
    )
    team_role = forms.CharField(label=_("Role on the team"), max_length=200)


class EndEpisodeForm(forms.Form):
    end_reason = forms.ChoiceField(label=_("Why the episode ends"), choices=EndReason.choices)
    ended_on = forms.DateField(label=_("End date"), widget=DateInput(), required=False)


class ReferralForm(forms.Form):
    from_organisation = forms.ModelChoiceField(
        label=_("From your organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    to_organisation = forms.ModelChoiceField(
        label=_("To organisation"), queryset=Organisation.objects.filter(is_active=True)
    )
    to_unit = forms.ModelChoiceField(
        label=_("To unit"),
        queryset=Unit.objects.filter(is_active=True).select_related("organisation"),
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason for the referral"), widget=forms.Textarea(attrs={"rows": 4})
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    purpose = forms.ChoiceField(
        label=_("Purpose of the referral"),
        choices=[(p.value, p.label) for p in CONSENT_PURPOSES],
        initial=Purpose.SERVICE_COORDINATION,
        help_text=_("The client's consent must be for this purpose."),
    )
    shared_categories = forms.MultipleChoiceField(
        label=_("Data shared with the referral"),
        choices=DataCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Basic details are always shared. "
            "Everything shared must be within the client's consent."
        ),
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [organisation.pk for organisation in organisations]
        self.fields["from_organisation"].queryset = Organisation.objects.filter(pk__in=ids)  # type: ignore[attr-defined]


class AcceptReferralForm(forms.Form):
    register = forms.ChoiceField(label=_("Register"), choices=Register.choices)
    legal_basis = forms.ChoiceField(label=_("Legal basis"), choices=LegalBasis.choices)


class DeclineReferralForm(forms.Form):
    decline_reason = forms.CharField(
        label=_("Reason for declining"), widget=forms.Textarea(attrs={"rows": 3})
    )


class JournalEntryForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    register = forms.ChoiceField(label=_("Register"), choices=Register.choices)
    entry_type = forms.ChoiceField(label=_("Type"), choices=EntryType.choices)
    occurred_on = forms.DateField(label=_("Date"), widget=DateInput(), required=False)
    text = forms.CharField(label=_("Entry"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [organisation.pk for organisation in organisations]
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=ids)  # type: ignore[attr-defined]


GOAL_ROWS = 5
ACTION_ROWS = 6


class PlanForm(forms.Form):
    """Goals in the client's words, the AVAIN components, actions, review date."""

    helping_factors = forms.CharField(
        label=_("What helps the client"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    hindering_factors = forms.CharField(
        label=_("What hinders the client"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    services = forms.CharField(
        label=_("Services agreed"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    working_methods = forms.CharField(
        label=_("Working methods agreed"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_review_on = forms.DateField(label=_("Next review"), widget=DateInput(), required=False)
    client_agreed_on = forms.DateField(
        label=_("The client agreed to the plan on"), widget=DateInput(), required=False
    )
    change_note = forms.CharField(
        label=_("What changed in this version"), required=False, max_length=300
    )

    def __init__(self, *args: Any, owner_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for index in range(GOAL_ROWS):
            self.fields[f"goal_{index}_text"] = forms.CharField(
                label=_("Goal %(number)s in the client's own words") % {"number": index + 1},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"goal_{index}_weight"] = forms.IntegerField(
                label=_("Weight of goal %(number)s") % {"number": index + 1},
                min_value=1,
                max_value=10,
                initial=1,
                required=False,
            )
            self.fields[f"goal_{index}_id"] = forms.IntegerField(
                required=False, widget=forms.HiddenInput
            )
        for index in range(ACTION_ROWS):
            self.fields[f"action_{index}_text"] = forms.CharField(
                label=_("Action %(number)s") % {"number": index + 1}, required=False, max_length=500
            )
            self.fields[f"action_{index}_owner"] = forms.ChoiceField(
                label=_("Who does it (action %(number)s)") % {"number": index + 1},
                required=False,
                choices=[("", "–"), *owner_choices],
            )
            self.fields[f"action_{index}_due"] = forms.DateField(
                label=_("Due (action %(number)s)") % {"number": index + 1},
                widget=DateInput(),
                required=False,
            )
            self.fields[f"action_{index}_done"] = forms.DateField(
                label=_("Done (action %(number)s)") % {"number": index + 1},
                widget=DateInput(),
                required=False,
            )
            # The goal the action serves, kept across saves of the plan.
            self.fields[f"action_{index}_goal"] = forms.IntegerField(
                required=False, widget=forms.HiddenInput
            )

    def goal_rows(self) -> list[tuple[Any, Any, Any]]:
        return [
            (self[f"goal_{i}_text"], self[f"goal_{i}_weight"], self[f"goal_{i}_id"])
            for i in range(GOAL_ROWS)
        ]

    def action_rows(self) -> list[tuple[Any, ...]]:
        return [
            tuple(self[f"action_{i}_{part}"] for part in ("text", "owner", "due", "done", "goal"))
            for i in range(ACTION_ROWS)
        ]


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(label=_("Review date"), widget=DateInput(), required=False)
    requested_by_client = forms.BooleanField(
        label=_("The client asked for this review"), required=False
    )
    note = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_review_on = forms.DateField(label=_("Next review"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, goals: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goals = goals
        for goal in goals:
            self.fields[f"goal_{goal.pk}"] = forms.TypedChoiceField(
                label=goal.text,
                choices=GAS_LEVELS,
                coerce=int,
                initial=0,
                widget=forms.RadioSelect,
            )

    def attainments(self) -> dict[int, int]:
        return {goal.pk: self.cleaned_data[f"goal_{goal.pk}"] for goal in self.goals}

    def goal_fields(self) -> list[Any]:
        return [self[f"goal_{goal.pk}"] for goal in self.goals]
