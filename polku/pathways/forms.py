"""Forms for the pathway screens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from polku.accounts.enums import CLIENT_WORK_ROLES, Role
from polku.accounts.models import Membership, Organisation, Unit, User
from polku.clients.forms import DateInput, end_date_field
from polku.core.forms import reason_choices
from polku.pathways import gas
from polku.pathways.enums import (
    GAS_BASELINE_LEVELS,
    GAS_DIFFICULTY,
    GAS_IMPORTANCE,
    GAS_LEVELS,
    DeclineGround,
    EndReason,
    EntryType,
    Phase,
    Urgency,
)
from polku.pathways.models import Programme
from polku.policy.enums import (
    CONSENT_PURPOSES,
    DISCLOSABLE_CATEGORIES,
    LegalBasis,
    Purpose,
    Register,
)


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


TEAM_SEARCH_FIELDS = ("name", "organisation", "role")


class TeamSearchForm(forms.Form):
    """The team page's search (a GET form): any of name, organisation and role."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        required=False,
        help_text=_("The beginning of a first or last name, or both: “mai vir”."),
    )
    organisation = forms.TypedChoiceField(
        label=_("Organisation"), coerce=int, required=False, empty_value=None
    )
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[
            ("", _("Any role")),
            *((role.value, role.label) for role in Role if role in CLIENT_WORK_ROLES),
        ],
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {organisation.pk: organisation for organisation in organisations}
        self.fields["organisation"].choices = [  # type: ignore[attr-defined]
            ("", _("Any organisation serving the client")),
            *((organisation.pk, organisation.localized_name) for organisation in organisations),
        ]

    def criteria(self) -> dict[str, Any] | None:
        """What to search for, or None when nothing was asked."""
        data = self.cleaned_data
        if not (data["name"].strip() or data["organisation"] or data["role"]):
            return None
        return {
            "name": data["name"],
            "organisation": self.organisations.get(data["organisation"] or 0),
            "role": data["role"],
        }


class TeamMemberForm(forms.Form):
    """Add one of the search's matches; the membership is checked again by the service."""

    membership = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    team_role = forms.CharField(label=_("Role on the team"), max_length=200)

    def clean_membership(self) -> Membership:
        membership = (
            Membership.objects.select_related("user", "organisation")
            .filter(pk=self.cleaned_data["membership"])
            .first()
        )
        if membership is None:
            raise forms.ValidationError(_("Choose the professional from the search results."))
        return membership


class RemoveTeamMemberForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    ended_on = end_date_field(_("Left the team on"))


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
        choices=[(c.value, c.label) for c in DISCLOSABLE_CATEGORIES],
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


# The plan has no fixed slots: a new plan starts with one goal and one action row, an
# existing one with its own; "add a goal" / "add an action" adds a row (in place where
# JavaScript runs, else by showing the form again with one more row, saving nothing).
ADD_GOAL, ADD_ACTION = "goal", "action"
# The number in the labels of the row that scripts copy for a new row.
NUMBER_PLACEHOLDER = "__number__"


class NumberedFormSet(forms.BaseFormSet):
    """Rows that know their number (1, 2, …) for their labels."""

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        number = NUMBER_PLACEHOLDER if index is None else index + 1
        return {**super().get_form_kwargs(index), "number": number}

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["DELETE"].label = form.delete_label  # type: ignore[attr-defined]


def _optional_factor(label: str, choices: list[tuple[int, Any]]) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[("", "–"), *choices],
        coerce=int,
        empty_value=None,
        required=False,
    )


LEVEL_FIELDS = ("level_minus_2", "level_minus_1", "level_0", "level_plus_1", "level_plus_2")


class GoalForm(forms.Form):
    """One goal with its Goal Attainment Scale (``pathways.gas``)."""

    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    baseline = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # A row added without scripts has no starting level yet: the usual one.
    baseline_level = forms.TypedChoiceField(
        choices=GAS_BASELINE_LEVELS,
        coerce=int,
        initial=gas.DEFAULT_BASELINE_LEVEL,
        required=False,
        empty_value=None,
    )
    level_minus_2 = forms.CharField(required=False)
    level_minus_1 = forms.CharField(required=False)
    level_0 = forms.CharField(required=False)
    level_plus_1 = forms.CharField(required=False)
    level_plus_2 = forms.CharField(required=False)
    importance = _optional_factor("", GAS_IMPORTANCE)
    difficulty = _optional_factor("", GAS_DIFFICULTY)
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, number: int | str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        values = {"number": number}
        self.fields["text"].label = _("Goal %(number)s in the client's own words") % values
        self.fields["baseline"].label = _("The situation at the start (goal %(number)s)") % values
        self.fields["baseline_level"].label = _("Starting level (goal %(number)s)") % values
        self.fields["baseline_level"].help_text = _(
            "Usually −1, so that a worse outcome can still be recorded."
        )
        for name, (_level, level_label) in zip(LEVEL_FIELDS, GAS_LEVELS, strict=True):
            self.fields[name].label = _("%(level)s (goal %(number)s)") % {
                "level": level_label,
                "number": number,
            }
        self.fields["importance"].label = _("Importance to the client (goal %(number)s)") % values
        self.fields["difficulty"].label = _("Difficulty (goal %(number)s)") % values
        self.delete_label = _("Remove goal %(number)s when the plan is saved") % values

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("baseline_level") is None:
            data["baseline_level"] = gas.DEFAULT_BASELINE_LEVEL
        if (data.get("importance") is None) != (data.get("difficulty") is None):
            self.add_error(
                "difficulty" if data.get("difficulty") is None else "importance",
                _("Give both the importance and the difficulty, or neither."),
            )
        written = ("baseline", *LEVEL_FIELDS)
        if not (data.get("text") or "").strip() and any(
            (data.get(name) or "").strip() for name in written
        ):
            self.add_error("text", _("Write the goal itself too."))
        return data

    def levels(self) -> tuple[str, str, str, str, str]:
        a, b, c, d, e = (self.cleaned_data.get(name) or "" for name in LEVEL_FIELDS)
        return a, b, c, d, e


class ActionForm(forms.Form):
    text = forms.CharField(required=False, max_length=500)
    owner = forms.ChoiceField(required=False)
    due = forms.DateField(widget=DateInput(), required=False)
    done = forms.DateField(widget=DateInput(), required=False)
    # The goal the action serves: the number of its row among the goal rows (new goals
    # typed in the same save included).
    goal = forms.ChoiceField(required=False)
    # The stored action the row edits, and its done date when the form was shown: a done
    # date left as shown keeps what the owner may have marked from the worklist meanwhile.
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    done_shown = forms.DateField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        number: int | str,
        owner_choices: list[tuple[str, str]],
        goal_choices: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        values = {"number": number}
        self.fields["text"].label = _("Action %(number)s") % values
        self.fields["owner"].label = _("Who does it (action %(number)s)") % values
        self.fields["owner"].choices = [("", "–"), *owner_choices]  # type: ignore[attr-defined]
        self.fields["due"].label = _("Due (action %(number)s)") % values
        self.fields["done"].label = _("Done (action %(number)s)") % values
        self.fields["goal"].label = _("For goal (action %(number)s)") % values
        self.fields["goal"].choices = [("", "–"), *goal_choices]  # type: ignore[attr-defined]
        self.delete_label = _("Remove action %(number)s when the plan is saved") % values


def _rows(
    form: type[forms.Form], data: Any, initial: list[dict[str, Any]], prefix: str, **kwargs: Any
) -> Any:
    formset = forms.formset_factory(
        form, formset=NumberedFormSet, extra=0 if initial else 1, can_delete=True
    )
    return formset(data, initial=initial, prefix=prefix, form_kwargs=kwargs)


def goal_label(number: int | str, text: str = "") -> str:
    """How an action's goal choice names a goal: its number and the start of its text."""
    label = _("Goal %(number)s") % {"number": number}
    text = " ".join(text.split())
    return f"{label}: {text[:60]}{'…' if len(text) > 60 else ''}" if text else label


class PlanForm(forms.Form):
    """Goals in the client's words, the AVAIN components, actions, review date.

    The goals and actions are rows of their own (``goal_rows``, ``action_rows``), as many
    as the plan has; ``add`` (``ADD_GOAL`` / ``ADD_ACTION``) shows the posted form again
    with one more row of that kind, and nothing is saved (``adding``)."""

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
        add: str | None = None,
        **kwargs: Any,
    ) -> None:
        self.adding = data is not None and add in (ADD_GOAL, ADD_ACTION)
        if self.adding:
            data = _with_one_more_row(data, "goals" if add == ADD_GOAL else "actions")
        super().__init__(data, **kwargs)
        self.goal_rows = _rows(GoalForm, data, goals or [], "goals")
        self.action_rows = _rows(
            ActionForm,
            data,
            actions or [],
            "actions",
            owner_choices=owner_choices,
            goal_choices=self._goal_choices(),
        )
        if self.adding:
            rows = self.goal_rows if add == ADD_GOAL else self.action_rows
            if rows.forms:
                rows.forms[-1].fields["text"].widget.attrs["autofocus"] = True

    def _goal_choices(self) -> list[tuple[str, str]]:
        choices = []
        for index, row in enumerate(self.goal_rows.forms):
            text = row["text"].value() or ""
            choices.append((str(index), goal_label(index + 1, str(text))))
        return choices

    def is_valid(self) -> bool:
        # Every part is checked, so that each shows its errors at once.
        valid = [super().is_valid(), self.goal_rows.is_valid(), self.action_rows.is_valid()]
        return all(valid) and self._actions_serve_kept_goals()

    def _actions_serve_kept_goals(self) -> bool:
        positions = self.goal_positions()
        valid = True
        for row in self._kept(self.action_rows):
            goal = row.cleaned_data.get("goal")
            if row.cleaned_data.get("text") and goal and int(goal) not in positions:
                row.add_error(
                    "goal", _("That goal is being removed or has no text. Choose another goal.")
                )
                valid = False
        return valid

    @property
    def rows_have_errors(self) -> bool:
        return self.is_bound and not (self.goal_rows.is_valid() and self.action_rows.is_valid())

    @staticmethod
    def _kept(rows: Any) -> list[forms.Form]:
        return [row for row in rows.forms if not rows._should_delete_form(row)]

    def goal_positions(self) -> dict[int, int]:
        """Each kept goal row's place among the goals written: row number → position."""
        kept = [
            index
            for index, row in enumerate(self.goal_rows.forms)
            if row in self._kept(self.goal_rows) and (row.cleaned_data.get("text") or "").strip()
        ]
        return {index: position for position, index in enumerate(kept)}

    def goals(self) -> list[GoalForm]:
        """The goal rows written and kept (valid), in order."""
        positions = self.goal_positions()
        return [row for index, row in enumerate(self.goal_rows.forms) if index in positions]

    def actions(self) -> list[dict[str, Any]]:
        """The action rows written and kept (cleaned), in order, each with the position of
        its goal among ``goals()`` (``goal_position``, ``None`` for none)."""
        positions = self.goal_positions()
        return [
            {
                **row.cleaned_data,
                "goal_position": positions.get(int(row.cleaned_data["goal"]))
                if row.cleaned_data.get("goal")
                else None,
            }
            for row in self._kept(self.action_rows)
            if row.cleaned_data.get("text")
        ]


def _with_one_more_row(data: Any, prefix: str) -> Any:
    """The posted data with one more row of ``prefix`` (a bad count counts as none)."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    try:
        count = max(int(data.get(key, 0)), 0)
    except (TypeError, ValueError):
        count = 0
    data[key] = str(count + 1)
    return data


class ReviewForm(forms.Form):
    """The level each goal has reached, chosen among the levels written with the client;
    nothing is preselected."""

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
        for number, goal in enumerate(goals, start=1):
            self.fields[f"goal_{goal.pk}"] = forms.TypedChoiceField(
                label=_("Goal %(number)s: %(text)s") % {"number": number, "text": goal.text},
                help_text=goal_help(goal),
                choices=level_choices(goal),
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose the level the client has reached.")},
            )

    def attainments(self) -> dict[int, int]:
        return {goal.pk: self.cleaned_data[f"goal_{goal.pk}"] for goal in self.goals}

    def goal_fields(self) -> list[Any]:
        return [self[f"goal_{goal.pk}"] for goal in self.goals]


def level_choices(goal: Any) -> list[tuple[int, str]]:
    """A goal's levels from +2 down to −2, each with its description; the starting level
    is marked."""
    texts = goal.level_texts()
    choices = []
    for level, label in reversed(GAS_LEVELS):
        text = str(label)
        if texts[level]:
            text = _("%(level)s: %(description)s") % {"level": label, "description": texts[level]}
        if level == goal.baseline_level:
            text = _("%(level)s (starting level)") % {"level": text}
        choices.append((level, text))
    return choices


def goal_help(goal: Any) -> str:
    """The goal's starting situation and weight, for the reviewer."""
    parts: list[str] = []
    if goal.baseline:
        parts.append(str(_("At the start: %(baseline)s") % {"baseline": goal.baseline}))
    if goal.importance is None:
        parts.append(str(_("Not weighted.")))
    else:
        values = {
            "weight": goal.weight,
            "importance": goal.importance,
            "difficulty": goal.difficulty,
        }
        parts.append(
            str(
                _("Weight %(weight)s (importance %(importance)s × difficulty %(difficulty)s).")
                % values
            )
        )
    return " ".join(parts)
