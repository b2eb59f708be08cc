"""Charts as accessible SVG images, drawn with Altair and rendered by vl-convert.

Each chart comes with a text alternative and the data table it is drawn from, so that a
screen-reader user or a printout loses nothing.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass

import altair as alt
import vl_convert

FONT = "DejaVu Sans"
PRIMARY = "#0b4f7c"


@dataclass(frozen=True)
class Chart:
    data_uri: str
    description: str


def _render(chart: alt.Chart, description: str) -> Chart:
    spec = chart.configure(font=FONT).configure_view(strokeWidth=0).to_dict()
    svg = vl_convert.vegalite_to_svg(spec)
    encoded = base64.b64encode(svg.encode()).decode()
    return Chart(f"data:image/svg+xml;base64,{encoded}", description)


def line_over_time(
    points: Sequence[tuple[str, float]],
    *,
    y_title: str,
    y_domain: tuple[float, float],
    description: str,
) -> Chart:
    """Totals over time; ``points`` are (date label, value) in order."""
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
    return _render(chart, description)


def grouped_bars(
    rows: Sequence[tuple[str, str, float]],
    *,
    y_title: str,
    y_domain: tuple[float, float],
    description: str,
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
    return _render(chart, description)


def means_with_intervals(
    rows: Sequence[tuple[str, float, float, float]],
    *,
    x_title: str,
    description: str,
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
    return _render(alt.layer(zero, interval, mean), description)  # type: ignore[arg-type]
