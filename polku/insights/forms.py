"""The situational picture's question: an area, a period and filters, read from the query
string (the page works without JavaScript). An empty query asks for the whole country over
the current calendar year up to today."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from polku.accounts.enums import OrganisationKind
from polku.clients.enums import Gender, Language
from polku.clients.forms import DateInput
from polku.core.models import EmploymentArea, Municipality, WellbeingCounty
from polku.insights.scope import AGE_BANDS, Area, AreaKind, Filters, PictureQuery
from polku.measures.schedules import add_months
from polku.policy import decisions
from polku.policy.actors import Actor
from polku.projects.models import Project

# The longest period one page counts.
MAX_PERIOD_YEARS = 5
EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)
AREA_SEPARATOR = ":"


def area_value(kind: str, code: str = "") -> str:
    """An area as the select's value: its kind, and its code after a colon."""
    return kind if kind == AreaKind.COUNTRY else f"{kind}{AREA_SEPARATOR}{code}"


def area_choices(actor: Actor) -> list[tuple[Any, Any]]:
    """The areas the reader may choose, grouped by kind, each named in the reader's
    language: the country, the wellbeing services counties, the employment areas, the
    municipalities, and the projects the reader may read."""

    def named(kind: str, entries: Any) -> list[tuple[str, str]]:
        return sorted(
            ((area_value(kind, str(entry.pk)), entry.name) for entry in entries),
            key=lambda choice: choice[1],
        )

    projects = Project.objects.filter(decisions.readable_projects(actor)).order_by("name")
    groups: list[tuple[Any, Any]] = [
        (area_value(AreaKind.COUNTRY), AreaKind.COUNTRY.label),
        (
            _("Wellbeing services counties"),
            named(AreaKind.WELLBEING_COUNTY, WellbeingCounty.objects.all()),
        ),
        (_("Employment areas"), named(AreaKind.EMPLOYMENT_AREA, EmploymentArea.objects.all())),
        (_("Municipalities"), named(AreaKind.MUNICIPALITY, Municipality.objects.all())),
    ]
    project_choices = [
        (area_value(AreaKind.PROJECT, str(project.public_id)), project.name) for project in projects
    ]
    if project_choices:
        groups.append((_("Projects"), project_choices))
    return groups


def default_period(today: date) -> tuple[date, date]:
    """The current calendar year up to today."""
    return date(today.year, 1, 1), today


class PictureForm(forms.Form):
    area = forms.ChoiceField(label=_("Area"))
    starts_on = forms.DateField(label=_("First day"), widget=DateInput())
    ends_on = forms.DateField(label=_("Last day"), widget=DateInput())
    organisation_kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        choices=[("", _("All kinds")), *OrganisationKind.choices],
        required=False,
    )
    age_band = forms.ChoiceField(
        label=_("Age on the last day"),
        choices=[("", _("All ages")), *((band.key, band.label) for band in AGE_BANDS)],
        required=False,
    )
    gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", _("All genders")), *Gender.choices], required=False
    )
    language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=[("", _("All languages")), *Language.choices],
        required=False,
    )

    def __init__(self, data: Any = None, *, actor: Actor, today: date, **kwargs: Any) -> None:
        starts_on, ends_on = default_period(today)
        defaults = {
            "area": area_value(AreaKind.COUNTRY),
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
        }
        # A field left out of the query string takes its default; one sent empty is an error.
        merged = {**defaults, **{key: data[key] for key in data or {}}}
        super().__init__(merged, **kwargs)
        area = self.fields["area"]
        assert isinstance(area, forms.ChoiceField)
        area.choices = area_choices(actor)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        for name, day in (("starts_on", starts_on), ("ends_on", ends_on)):
            if day and not EARLIEST <= day <= LATEST:
                self.add_error(name, _("Give a date from 1900 to 2999."))
                return cleaned
        if starts_on and ends_on:
            if ends_on < starts_on:
                self.add_error("ends_on", _("The last day cannot be before the first day."))
            elif ends_on > add_months(starts_on, 12 * MAX_PERIOD_YEARS) - timedelta(days=1):
                self.add_error(
                    "ends_on",
                    _("The period can be at most %(years)d years long.")
                    % {"years": MAX_PERIOD_YEARS},
                )
        return cleaned

    def picture_query(self) -> PictureQuery:
        """The question the valid form asks."""
        data = self.cleaned_data
        kind, _separator, code = data["area"].partition(AREA_SEPARATOR)
        return PictureQuery(
            area=Area(kind, code),
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            filters=Filters(
                organisation_kind=data["organisation_kind"],
                age_band=data["age_band"],
                gender=data["gender"],
                language=data["language"],
            ),
        )
