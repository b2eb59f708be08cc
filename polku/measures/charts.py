"""Charts as accessible SVG images, drawn with Altair and rendered by vl-convert.

Each chart comes with a text alternative and the data table it is drawn from, so that a
screen-reader user or a printout loses nothing. Numbers on the axes are written as the
active language writes them (a decimal comma in Finnish and Swedish), and a chart of an
instrument on which a lower score is better says so, in its text alternative and in a
note shown next to it.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

import altair as alt
import vl_convert
from django.utils import translation
from django.utils.translation import gettext as _

from polku.core import languages

FONT = "DejaVu Sans"
PRIMARY = "#0b4f7c"
# The d3-format locale of each language's numbers; a language without one writes numbers
# as the default language does.
FORMAT_LOCALES = {"fi": "fi-FI", "sv": "sv-SE", "en": "en-US"}


@dataclass(frozen=True)
class Chart:
    data_uri: str
    description: str
    # Shown next to the chart, e.g. that a lower score is better; also in the description.
    note: str = ""


def format_locale(language: str | None = None) -> str:
    """The d3-format locale for ``language`` (default: the active one)."""
    code = languages.supported(language or translation.get_language())
    return FORMAT_LOCALES.get(code, FORMAT_LOCALES[languages.default()])


def lower_is_better_note(*, change: bool = False) -> str:
    """The note of a chart of an instrument on which a lower score is better."""
    if change:
        return _("On this instrument a lower score is better: a fall is an improvement.")
    return _("On this instrument a lower score is better.")


def _render(chart: alt.Chart, description: str, note: str = "") -> Chart:
    spec = chart.configure(font=FONT).configure_view(strokeWidth=0).to_dict()
    svg = vl_convert.vegalite_to_svg(spec, format_locale=cast(Any, format_locale()))
    encoded = base64.b64encode(svg.encode()).decode()
    if note:
        description = f"{description} {note}"
    return Chart(f"data:image/svg+xml;base64,{encoded}", description, note)


def line_over_time(
    points: Sequence[tuple[str, float]],
    *,
    y_title: str,
    y_domain: tuple[float, float],
    description: str,
    note: str = "",
    reference_lines: Sequence[tuple[float, str]] = (),
) -> Chart:
    """Totals over time; ``points`` are (date label, value) in order. ``reference_lines``
    are (value, label) drawn as dashed horizontal lines, e.g. the floors of bands."""
    values = [
        {"when": when, "score": score, "order": index} for index, (when, score) in enumerate(points)
    ]
    chart = (
        alt.Chart(alt.Data(values=values), width=480, height=220)
        .mark_line(
            point=alt.OverlayMarkDef(size=80, filled=True, color=PRIMARY),
            color=PRIMARY,
            strokeWidth=3,
        )
        .encode(
            x=alt.X("when:O", sort=alt.SortField("order"), title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("score:Q", title=y_title, scale=alt.Scale(domain=list(y_domain))),
        )
    )
    if reference_lines:
        lines = alt.Chart(
            alt.Data(values=[{"score": value, "label": label} for value, label in reference_lines])
        )
        y = alt.Y("score:Q", scale=alt.Scale(domain=list(y_domain)))
        rules = lines.mark_rule(color="#6b7480", strokeDash=[4, 4]).encode(y=y)
        labels = lines.mark_text(align="left", dx=4, dy=-6, color="#4a5260", fontSize=11).encode(
            y=y, text="label:N", x=alt.value(0)
        )
        layered = alt.layer(rules, labels, chart).properties(width=480, height=220)
        return _render(layered, description, note)  # type: ignore[arg-type]
    return _render(chart, description, note)


def grouped_bars(
    rows: Sequence[tuple[str, str, float]],
    *,
    y_title: str,
    y_domain: tuple[float, float],
    description: str,
    note: str = "",
) -> Chart:
    """Domain scores at each time point: ``rows`` are (domain, time label, value)."""
    values = [{"domain": domain, "when": when, "score": score} for domain, when, score in rows]
    chart = (
        alt.Chart(alt.Data(values=values), width=480, height=220)
        .mark_bar()
        .encode(
            x=alt.X("domain:N", title=None, axis=alt.Axis(labelAngle=0, labelLimit=140)),
            xOffset="when:N",
            y=alt.Y("score:Q", title=y_title, scale=alt.Scale(domain=list(y_domain))),
            color=alt.Color(
                "when:N",
                title=None,
                scale=alt.Scale(range=[PRIMARY, "#1f6f50", "#c25400", "#6b4c9a"]),
            ),
        )
    )
    return _render(chart, description, note)


def means_with_intervals(
    rows: Sequence[tuple[str, float, float, float]],
    *,
    x_title: str,
    description: str,
    note: str = "",
) -> Chart:
    """Mean change per group with its 95 % confidence interval: ``rows`` are
    (group, mean, low, high), drawn as a dot on a bar from low to high, with zero marked."""
    values = [
        {"group": group, "mean": mean, "low": low, "high": high} for group, mean, low, high in rows
    ]
    base = alt.Chart(alt.Data(values=values), width=480, height=max(80, 36 * len(values)))
    y = alt.Y("group:N", title=None, sort=None, axis=alt.Axis(labelLimit=320, labelFontSize=12))
    interval = base.mark_rule(color=PRIMARY, strokeWidth=3).encode(
        y=y, x=alt.X("low:Q", title=x_title), x2="high:Q"
    )
    mean = base.mark_point(filled=True, size=90, color=PRIMARY).encode(y=y, x="mean:Q")
    zero = alt.Chart(alt.Data(values=[{"zero": 0}])).mark_rule(color="#6b7480").encode(x="zero:Q")
    return _render(alt.layer(zero, interval, mean), description, note)  # type: ignore[arg-type]


def horizontal_grouped_bars(
    rows: Sequence[tuple[str, str, float]],
    *,
    x_title: str,
    description: str,
    note: str = "",
) -> Chart:
    """Counts of several series per category, as horizontal bars for long category
    names: ``rows`` are (category, series, value), in the order they are drawn."""
    values = [
        {"category": category, "series": series, "value": value, "order": index}
        for index, (category, series, value) in enumerate(rows)
    ]
    # Whole numbers on the axis: at most about eight ticks, from zero.
    highest = max((math.ceil(value) for _category, _series, value in rows), default=0)
    step = max(1, math.ceil(highest / 8))
    ticks = list(range(0, max(highest, 1) + step, step))
    categories = list(dict.fromkeys(category for category, _series, _value in rows))
    series = list(dict.fromkeys(name for _category, name, _value in rows))
    chart = (
        alt.Chart(alt.Data(values=values), width=420, height=max(60, 14 * len(values)))
        .mark_bar()
        .encode(
            y=alt.Y(
                "category:N",
                title=None,
                sort=categories,
                axis=alt.Axis(labelLimit=480, labelFontSize=11),
            ),
            yOffset=alt.YOffset("series:N", sort=series),
            x=alt.X(
                "value:Q",
                title=x_title,
                scale=alt.Scale(domain=[0, ticks[-1]]),
                axis=alt.Axis(values=ticks, format="d"),
            ),
            color=alt.Color(
                "series:N",
                title=None,
                sort=series,
                scale=alt.Scale(range=[PRIMARY, "#1f6f50", "#c25400", "#6b4c9a"]),
                legend=alt.Legend(orient="top"),
            ),
        )
    )
    return _render(chart, description, note)


def series_over_time(
    points: Sequence[tuple[str, str, float]],
    *,
    y_title: str,
    description: str,
    note: str = "",
) -> Chart:
    """Several series over time as lines, from zero: ``points`` are (time label, series,
    value), the time labels in order. A point left out (a withheld figure) is not drawn."""
    values = [
        {"when": when, "series": series, "value": value, "order": index}
        for index, (when, series, value) in enumerate(points)
    ]
    times = list(dict.fromkeys(when for when, _series, _value in points))
    series = list(dict.fromkeys(name for _when, name, _value in points))
    chart = (
        alt.Chart(alt.Data(values=values), width=480, height=220)
        .mark_line(point=alt.OverlayMarkDef(size=60, filled=True), strokeWidth=3)
        .encode(
            x=alt.X("when:O", sort=times, title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y(
                "value:Q", title=y_title, scale=alt.Scale(zero=True), axis=alt.Axis(format="d")
            ),
            color=alt.Color(
                "series:N",
                title=None,
                sort=series,
                scale=alt.Scale(range=[PRIMARY, "#1f6f50", "#c25400", "#6b4c9a"]),
                legend=alt.Legend(orient="top"),
            ),
        )
    )
    return _render(chart, description, note)
