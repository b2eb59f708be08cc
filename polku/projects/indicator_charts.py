"""The indicator page's charts: one per group of indicators, the women, men and others
of each indicator side by side, with a text alternative that says every figure."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from polku.measures import charts
from polku.projects.indicator_selectors import IndicatorRow


@dataclass(frozen=True)
class GroupChart:
    chart: charts.Chart
    title: str


def group_chart(title: str, rows: list[IndicatorRow]) -> GroupChart | None:
    """The chart of a group's available rows; None when nobody is counted in them."""
    shown = [row for row in rows if row.available]
    if not any(row.total for row in shown):
        return None
    women, men, other = _("Women"), _("Men"), _("Other or not given")
    bars = [
        (str(row.label), series, value)
        for row in shown
        for series, value in ((women, row.women), (men, row.men), (other, row.other))
    ]
    figures = "; ".join(
        _("%(indicator)s: women %(women)d, men %(men)d, other or not given %(other)d")
        % {"indicator": row.label, "women": row.women, "men": row.men, "other": row.other}
        for row in shown
    )
    description = _("%(title)s by gender: %(figures)s.") % {"title": title, "figures": figures}
    chart = charts.horizontal_grouped_bars(bars, x_title=_("Participants"), description=description)
    return GroupChart(chart, title)
