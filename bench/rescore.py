"""Batch re-scoring of 1,000,000 stored answers, against a vectorised floor.

The measured value is Polku's own scoring function (``polku.measures.scoring.score``)
applied to 1,000,000 answer sets of the shipped inclusion indicator (10 items, prorated
when one item is missing, no score when more are), as ``rescore`` does after a fix to a
definition. The floor is the same computation written as NumPy array operations over a
1,000,000 × 10 matrix, which is as fast as Python gets. Both run in this process, on the
same data, and must give the same totals; the ratio says what the readable, per-answer
function costs.

Usage: .venv/bin/python bench/rescore.py [--answers N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polku.settings")

import django  # noqa: E402

django.setup()

from polku.measures.definitions import parse_definition  # noqa: E402
from polku.measures.scoring import score  # noqa: E402

DEFINITION = ROOT / "polku" / "measures" / "instruments" / "inclusion-indicator-1.0.json"
MISSING_SHARE = 0.02
SEED = 1


def answer_sets(count: int, items: list[str]) -> list[dict[str, int]]:
    generator = random.Random(SEED)
    sets = []
    for _ in range(count):
        answers = {}
        for code in items:
            if generator.random() >= MISSING_SHARE:
                answers[code] = generator.randint(1, 5)
        sets.append(answers)
    return sets


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=1_000_000)
    arguments = parser.parse_args()
    definition = parse_definition(json.loads(DEFINITION.read_text(encoding="utf-8")))
    items = [item.code for item in definition.items]
    sets = answer_sets(arguments.answers, items)

    started = time.perf_counter()
    totals = [score(definition, answers).total for answers in sets]
    measured = time.perf_counter() - started

    matrix = np.array([[a.get(code, np.nan) for code in items] for a in sets], dtype=float)
    started = time.perf_counter()
    answered = np.sum(~np.isnan(matrix), axis=1)
    allowed = answered >= len(items) * (1 - definition.scoring.max_missing_share) - 1e-9
    floor_totals = np.where(allowed, np.nansum(matrix, axis=1) / answered * len(items), np.nan)
    floor = time.perf_counter() - started

    ours = np.array([np.nan if total is None else total for total in totals])
    if not np.allclose(ours, floor_totals, equal_nan=True):
        print("rescore: the floor and the scoring function disagree", file=sys.stderr)
        return 1
    scored = int(np.sum(~np.isnan(ours)))
    print(
        f"rescore_{arguments.answers}  {measured:.2f} s  floor {floor:.3f} s  "
        f"{measured / floor:.0f}x  ({scored} scored, {arguments.answers / measured:,.0f} per s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
