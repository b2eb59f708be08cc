"""Charts write numbers as the reader's language does and say when a lower score is
better."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest
from django.utils import translation

from polku.measures import charts
from polku.measures.definitions import parse_definition
from polku.measures.selectors import _direction_note

INSTRUMENTS = Path(charts.__file__).parent / "instruments"


def axis_labels(chart: charts.Chart) -> list[str]:
    svg = base64.b64decode(chart.data_uri.split(",", 1)[1]).decode()
    return re.findall(r">(-?[0-9][0-9.,]*)</text>", svg)


@pytest.mark.parametrize(("language", "label"), [("fi", "1,5"), ("sv", "1,5"), ("en", "1.5")])
def test_the_axes_use_the_decimal_separator_of_the_language(language, label):
    with translation.override(language):
        chart = charts.line_over_time(
            [("1.1.2026", 1.2), ("1.6.2026", 2.7)],
            y_title="score",
            y_domain=(1, 3),
            description="",
        )

    assert label in axis_labels(chart)


def test_a_lower_is_better_note_is_shown_and_in_the_text_alternative():
    whodas = parse_definition(json.loads((INSTRUMENTS / "whodas-2-12-1.1.json").read_text()))
    was = parse_definition(json.loads((INSTRUMENTS / "work-ability-score-1.1.json").read_text()))

    with translation.override("en"):
        note = _direction_note(whodas)
        chart = charts.line_over_time(
            [("1.1.2026", 30), ("1.6.2026", 24)],
            y_title="WHODAS",
            y_domain=(12, 60),
            description="WHODAS over time: 30, 24.",
            note=note,
        )

        assert note == "On this instrument a lower score is better."
        assert chart.note == note
        assert chart.description == "WHODAS over time: 30, 24. " + note
        assert _direction_note(was) == ""
        assert "a fall is an improvement" in _direction_note(whodas, change=True)
