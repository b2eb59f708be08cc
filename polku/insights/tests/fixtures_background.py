"""Files and helpers for the background figures' tests (the people are in ``conftest.py``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from polku.accounts.models import User
from polku.insights.background_services import ImportReport, import_background_figures
from polku.insights.models import BackgroundFigure
from polku.policy.actors import Actor

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"
POPULATION_SAMPLE = SAMPLES / "population-pirkanmaa-2023-2024.csv"
JOBSEEKERS_SAMPLE = SAMPLES / "jobseekers-pirkanmaa-2025.csv"
# A fixed day after every period of the files, so that no test depends on the clock.
TODAY = date(2025, 12, 31)


def load(
    user: User,
    text: str | bytes,
    *,
    dry_run: bool = False,
    file_name: str = "luvut.csv",
    source: str = "",
) -> ImportReport:
    content = text.encode() if isinstance(text, str) else text
    return import_background_figures(
        actor=Actor.for_user(user),
        file_name=file_name,
        content=content,
        dry_run=dry_run,
        source=source,
        today=TODAY,
    )


def figures() -> dict[tuple[str, str, int, int | None], int]:
    """Every loaded figure: {(municipality, kind, year, month): value}."""
    return {
        (row.municipality_id, row.kind, row.year, row.month): row.value
        for row in BackgroundFigure.objects.all()
    }


def problems(report: ImportReport) -> list[tuple[int, str, str]]:
    return [(problem.row, problem.column, problem.message) for problem in report.problems]
