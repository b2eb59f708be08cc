"""Forms for programmes, projects and their staff. They read the input; the services
(``project_services``) check it against the programme, the period and the organisations."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Membership, Organisation
from polku.clients.forms import DateInput
from polku.core.forms import reason_choices
from polku.core.models import Municipality
from polku.policy.enums import ProjectRoleKind
from polku.projects.enums import FundingInstrument
from polku.projects.models import FundingProgramme, Project

BUDGET_PREFIX = "budget_"
# How many years a budget may have fields for at once (a project of up to ten years).
MAX_BUDGET_YEARS = 10


class MembershipChoiceField(forms.ModelChoiceField):
    """A professional, named with their organisation and role."""

    def label_from_instance(self, obj: Any) -> str:
        user = obj.user
        name = user.get_full_name() or user.get_username()
        return f"{name} · {obj.organisation.localized_name} · {obj.get_role_display()}"


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.localized_name)


class OrganisationsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.localized_name)


class MunicipalitiesChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


class ProgrammeForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        error_messages={"required": _("Write the programme's name.")},
    )
    starts_on = forms.DateField(
        label=_("Start date"),
        widget=DateInput(),
        error_messages={"required": _("Give the programme's start date.")},
    )
    ends_on = forms.DateField(
        label=_("End date"),
        widget=DateInput(),
        error_messages={"required": _("Give the programme's end date.")},
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CoordinatorForm(forms.Form):
    membership = MembershipChoiceField(
        label=_("Coordinator"),
        queryset=Membership.objects.none(),
        empty_label=_("– choose –"),
        error_messages={
            "required": _("Choose the coordinator."),
            "invalid_choice": _("Choose the coordinator."),
        },
    )

    def __init__(self, *args: Any, candidates: QuerySet[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = candidates  # type: ignore[attr-defined]


def budget_years(starts_on: date, ends_on: date, existing: Iterable[int] = ()) -> list[int]:
    """The years the budget has a field for: the project's period and any year that has
    a budget already (so that it can be removed after the period shrank)."""
    years = set(range(starts_on.year, ends_on.year + 1)) | set(existing)
    return sorted(years)[:MAX_BUDGET_YEARS]


class ProjectForm(forms.Form):
    """A project's details. On creation, also its programme and administering organisation
    (which do not change afterwards) and, for an administrator, its first manager."""

    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=FundingProgramme.objects.none(),
        empty_label=_("– choose –"),
        error_messages={
            "required": _("Choose the programme."),
            "invalid_choice": _("Choose the programme."),
        },
    )
    organisation = OrganisationChoiceField(
        label=_("Administering organisation"),
        queryset=Organisation.objects.none(),
        empty_label=_("– choose –"),
        error_messages={
            "required": _("Choose the administering organisation."),
            "invalid_choice": _("Choose the administering organisation."),
        },
    )
    manager = MembershipChoiceField(
        label=_("First manager"),
        queryset=Membership.objects.none(),
        required=False,
        empty_label=_("– me –"),
        help_text=_(
            "A professional of the administering organisation. Left empty, you become "
            "the project's first manager."
        ),
    )
    name = forms.CharField(
        label=_("Name"), max_length=200, error_messages={"required": _("Write the project's name.")}
    )
    code = forms.CharField(
        label=_("Funder's project code"),
        max_length=40,
        required=False,
        help_text=_("The code the funder gave the project, e.g. in EURA 2021."),
    )
    funder = forms.CharField(
        label=_("Funder"),
        max_length=200,
        error_messages={"required": _("Name the funder.")},
    )
    instrument = forms.ChoiceField(
        label=_("Funding instrument"),
        choices=reason_choices(FundingInstrument.choices),
        error_messages={"required": _("Choose the funding instrument.")},
    )
    starts_on = forms.DateField(
        label=_("Start date"),
        widget=DateInput(),
        error_messages={"required": _("Give the project's start date.")},
    )
    ends_on = forms.DateField(
        label=_("End date"),
        widget=DateInput(),
        error_messages={"required": _("Give the project's end date.")},
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    partners = OrganisationsChoiceField(
        label=_("Partner organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_(
            "Hold Ctrl (or Cmd) to choose several. Removing a partner ends its staff's "
            "roles in the project."
        ),
        error_messages={
            "invalid_choice": _(
                "Choose the partners from the list: active organisations other than the "
                "administering one."
            )
        },
    )
    municipalities = MunicipalitiesChoiceField(
        label=_("Area (municipalities)"),
        queryset=Municipality.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
        error_messages={"invalid_choice": _("Choose the municipalities from the list.")},
    )

    def __init__(
        self,
        *args: Any,
        project: Project | None = None,
        programmes: QuerySet[FundingProgramme] | None = None,
        organisations: QuerySet[Organisation] | None = None,
        managers: QuerySet[Membership] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["partners"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        ).order_by("name")
        self.fields["municipalities"].queryset = Municipality.objects.order_by(  # type: ignore[attr-defined]
            "name_fi"
        )
        if project is not None:
            # A project's programme and administering organisation stay as they were.
            for name in ("programme", "organisation", "manager"):
                del self.fields[name]
            # Today's partners stay choosable even if no longer active.
            current = project.partners.values_list("pk", flat=True)
            self.fields["partners"].queryset = (  # type: ignore[attr-defined]
                Organisation.objects.filter(Q(is_active=True) | Q(pk__in=current))
                .exclude(pk=project.organisation_id)
                .order_by("name")
            )
            years = budget_years(
                project.starts_on,
                project.ends_on,
                project.budget_years.values_list("year", flat=True),
            )
        else:
            self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
            if managers is None:
                del self.fields["manager"]
            else:
                self.fields["manager"].queryset = managers  # type: ignore[attr-defined]
            # The budget by year is entered once the period is saved (on the edit page).
            years = []
        self.years = years
        for year in years:
            self.fields[f"{BUDGET_PREFIX}{year}"] = forms.DecimalField(
                label=_("Budget %(year)d (€)") % {"year": year},
                required=False,
                max_digits=12,
                decimal_places=2,
                localize=True,
                error_messages={
                    "invalid": _("Give the budget in euros, e.g. 125000 or 125000.50."),
                    "max_digits": _("The budget is too large."),
                    "max_decimal_places": _("Give the budget in whole cents."),
                },
            )

    def budget_fields(self) -> list[forms.BoundField]:
        return [self[f"{BUDGET_PREFIX}{year}"] for year in self.years]

    def detail_fields(self) -> list[forms.BoundField]:
        return [field for field in self if not field.name.startswith(BUDGET_PREFIX)]

    def budget(self) -> dict[int, Decimal | None]:
        return {year: self.cleaned_data.get(f"{BUDGET_PREFIX}{year}") for year in self.years}

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned data as the services take it."""
        data = {
            name: value
            for name, value in self.cleaned_data.items()
            if not name.startswith(BUDGET_PREFIX)
        }
        if not data.get("manager"):
            data.pop("manager", None)
        data["budget"] = self.budget()
        return data


STAFF_KIND_CHOICES = [
    (ProjectRoleKind.MANAGER.value, ProjectRoleKind.MANAGER.label),
    (ProjectRoleKind.WORKER.value, ProjectRoleKind.WORKER.label),
]


class AddStaffForm(forms.Form):
    membership = MembershipChoiceField(
        label=_("Professional"),
        queryset=Membership.objects.none(),
        empty_label=_("– choose –"),
        help_text=_("The professionals of the administering and the partner organisations."),
        error_messages={
            "required": _("Choose the professional."),
            "invalid_choice": _("Choose the professional."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Role in the project"),
        choices=reason_choices(STAFF_KIND_CHOICES),
        error_messages={"required": _("Choose the role.")},
    )
    valid_from = forms.DateField(
        label=_("First day"),
        widget=DateInput(),
        required=False,
        help_text=_("Today, if left empty."),
    )
    valid_until = forms.DateField(
        label=_("Last day"),
        widget=DateInput(),
        required=False,
        help_text=_("Left empty, the role holds until further notice."),
    )

    def __init__(self, *args: Any, candidates: QuerySet[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = candidates  # type: ignore[attr-defined]


class EndStaffForm(forms.Form):
    valid_until = forms.DateField(
        label=_("Last day"),
        widget=DateInput(),
        required=False,
        help_text=_("Today, if left empty."),
    )
