"""Background figures in the demo: the sample files shipped with the insights app (a
dozen Pirkanmaa municipalities' population at the end of 2023 and 2024, and their
unemployed and long-term unemployed jobseekers at the end of January–March 2025;
approximate values for trying the import, not official statistics), loaded through the
import service as the demo's analyst. Idempotent: loading the same files again changes
nothing."""

from __future__ import annotations

from pathlib import Path

from polku.accounts.models import User
from polku.insights.background_services import import_background_figures
from polku.policy.actors import Actor

SAMPLES = Path(__file__).resolve().parent.parent / "insights" / "sample_data"
SAMPLE_FILES = ("population-pirkanmaa-2023-2024.csv", "jobseekers-pirkanmaa-2025.csv")
SOURCE = "Polku sample values for trying the import (approximate, not official statistics)"


def seed_demo_background(analyst_username: str = "analyytikko") -> int:
    """Load the sample files as the demo's analyst; the number of figures added now."""
    analyst = User.objects.get(username=analyst_username)
    added = 0
    for name in SAMPLE_FILES:
        report = import_background_figures(
            actor=Actor.for_user(analyst),
            file_name=name,
            content=(SAMPLES / name).read_bytes(),
            dry_run=False,
            source=SOURCE,
        )
        if report.problems:
            raise ValueError(f"{name}: {report.problems}")
        added += report.to_add
    return added
