"""The outcome view's choices: a month or a quarter, one team or all, and the format."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Unit
from polku.employment.outcome_selectors import Period, PeriodKind


class OutcomeForm(forms.Form):
    """Read from the query string: an empty query asks for the current month, all teams."""

    kind = forms.ChoiceField(
        label=_("Period"),
        choices=PeriodKind.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    period = forms.CharField(
        label=_("Month or quarter"),
        required=False,
        max_length=7,
        help_text=_("A month as 2026-11, a quarter as 2026-Q4; left empty, the current one."),
    )
    unit = forms.ChoiceField(label=_("Team"), required=False)
    format = forms.ChoiceField(
        required=False,
        choices=[("", _("Page")), ("pdf", "PDF"), ("xlsx", "XLSX")],
        widget=forms.HiddenInput,
    )

    def __init__(self, *args: Any, units: list[Unit], today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {str(unit.pk): unit for unit in units}
        self.today = today
        self.fields["unit"].choices = [  # type: ignore[attr-defined]
            ("", _("All teams")),
            *((key, unit.localized_name) for key, unit in self.units.items()),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = PeriodKind(cleaned.get("kind") or PeriodKind.MONTH)
        cleaned["kind"] = kind
        text = cleaned.get("period") or ""
        if "period" in self.errors:
            return cleaned
        if not text:
            period: Period | None = Period.containing(kind, self.today)
        else:
            period = Period.parse(text, kind)
        if period is None:
            self.add_error(
                "period",
                _("Give a month as year and month, e.g. 2026-11.")
                if kind == PeriodKind.MONTH
                else _("Give a quarter as year and quarter, e.g. 2026-Q4."),
            )
        elif period.start > self.today:
            self.add_error("period", _("The period has not begun yet."))
        else:
            cleaned["period_value"] = period
        cleaned["unit_value"] = self.units.get(cleaned.get("unit") or "")
        return cleaned
