"""Forms for the pathway screens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from polku.accounts.enums import CLIENT_WORK_ROLES
from polku.accounts.models import Organisation, Unit, User
from polku.clients.forms import DateInput, end_date_field
from polku.core.forms import reason_choices
from polku.pathways.enums import GAS_LEVELS, DeclineGround, EndReason, EntryType, Phase, Urgency
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

    def __init__(
        self, *args: Any, programme: Programme, current_phase: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = programme.phase_choices()  # type: ignore[attr-defined]
        # The usual change is to the phase that follows the current one.
        self.fields["phase"].initial = programme.phase_after(current_phase)


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
    end_reason = forms.ChoiceField(
        label=_("Why the episode ends"),
        choices=reason_choices(EndReason.choices),
        error_messages={"required": _("Choose why the episode ends.")},
        help_text=_("Where the client goes after the service: it is kept as their transition."),
    )
    ended_on = end_date_field()


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
    decline_ground = forms.ChoiceField(
        label=_("Why the referral is declined"),
        choices=reason_choices(DeclineGround.choices),
        error_messages={"required": _("Choose why the referral is declined.")},
    )
    decline_reason = forms.CharField(
        label=_("Explanation for the sender"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The sender reads it. Write what they need to know, and no more."),
        error_messages={"required": _("Tell the sender why the referral is declined.")},
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


# Blank rows offered on a new plan, and after the rows of an existing one: a plan keeps
# every goal and action it has, however many.
GOAL_ROWS = 5
ACTION_ROWS = 6
EXTRA_ROWS = 2


class NumberedFormSet(forms.BaseFormSet):
    """Rows that know their number (1, 2, …) for their labels."""

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "number": None if index is None else index + 1}


class GoalForm(forms.Form):
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    weight = forms.IntegerField(min_value=1, max_value=10, initial=1, required=False)
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, number: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].label = _("Goal %(number)s in the client's own words") % {
            "number": number
        }
        self.fields["weight"].label = _("Weight of goal %(number)s") % {"number": number}


class ActionForm(forms.Form):
    text = forms.CharField(required=False, max_length=500)
    owner = forms.ChoiceField(required=False)
    due = forms.DateField(widget=DateInput(), required=False)
    done = forms.DateField(widget=DateInput(), required=False)
    # The goal the action serves, kept across saves of the plan.
    goal = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, number: int | None, owner_choices: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        values = {"number": number}
        self.fields["text"].label = _("Action %(number)s") % values
        self.fields["owner"].label = _("Who does it (action %(number)s)") % values
        self.fields["owner"].choices = [("", "–"), *owner_choices]  # type: ignore[attr-defined]
        self.fields["due"].label = _("Due (action %(number)s)") % values
        self.fields["done"].label = _("Done (action %(number)s)") % values


def _rows(
    form: type[forms.Form],
    data: Any,
    initial: list[dict[str, Any]],
    blank: int,
    prefix: str,
    **kwargs: Any,
) -> Any:
    formset = forms.formset_factory(
        form, formset=NumberedFormSet, extra=max(EXTRA_ROWS, blank - len(initial))
    )
    return formset(data, initial=initial, prefix=prefix, form_kwargs=kwargs)


class PlanForm(forms.Form):
    """Goals in the client's words, the AVAIN components, actions, review date.

    The goals and actions are rows of their own (``goal_rows``, ``action_rows``): every
    existing one, then blank rows for new ones."""

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

    def __init__(
        self,
        data: Any = None,
        *,
        goals: list[dict[str, Any]] | None = None,
        actions: list[dict[str, Any]] | None = None,
        owner_choices: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.goal_rows = _rows(GoalForm, data, goals or [], GOAL_ROWS, "goals")
        self.action_rows = _rows(
            ActionForm, data, actions or [], ACTION_ROWS, "actions", owner_choices=owner_choices
        )

    def is_valid(self) -> bool:
        # Every part is checked, so that each shows its errors at once.
        valid = [super().is_valid(), self.goal_rows.is_valid(), self.action_rows.is_valid()]
        return all(valid)

    @property
    def rows_have_errors(self) -> bool:
        return self.is_bound and not (self.goal_rows.is_valid() and self.action_rows.is_valid())

    def goals(self) -> list[dict[str, Any]]:
        """The goal rows written (cleaned), in order."""
        return [row for row in self.goal_rows.cleaned_data if (row.get("text") or "").strip()]

    def actions(self) -> list[dict[str, Any]]:
        """The action rows written (cleaned), in order."""
        return [row for row in self.action_rows.cleaned_data if row.get("text")]


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
