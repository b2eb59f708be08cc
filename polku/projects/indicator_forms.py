"""The indicator page's period: any first and last day, by default from the project's (or
programme's) start up to today."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from polku.clients.forms import DateInput

# The dates a period may have (a six-month follow-up is counted back from its start).
EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)


class IndicatorPeriodForm(forms.Form):
    """Read from the query string; an empty query asks for the default period."""

    starts_on = forms.DateField(label=_("First day"), widget=DateInput())
    ends_on = forms.DateField(label=_("Last day"), widget=DateInput())

    def __init__(
        self, data: Any = None, *, starts_on: date, ends_on: date, today: date, **kwargs: Any
    ) -> None:
        self.default = (starts_on, max(starts_on, min(ends_on, today)))
        if not data or not ({"starts_on", "ends_on"} & set(data)):
            data = {
                "starts_on": self.default[0].isoformat(),
                "ends_on": self.default[1].isoformat(),
            }
        super().__init__(data, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        for name, day in (("starts_on", starts_on), ("ends_on", ends_on)):
            if day and not EARLIEST <= day <= LATEST:
                self.add_error(name, _("Give a date from 1900 to 2999."))
                return cleaned
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The last day cannot be before the first day."))
        return cleaned


def calendar_years(starts_on: date, ends_on: date) -> list[tuple[int, date, date]]:
    """The quick choices: each calendar year of ``starts_on``–``ends_on`` (year, first
    day, last day), cut to that period."""
    return [
        (year, max(starts_on, date(year, 1, 1)), min(ends_on, date(year, 12, 31)))
        for year in range(starts_on.year, ends_on.year + 1)
    ]
