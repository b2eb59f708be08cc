"""The demo's background figures: the shipped sample files, loaded once."""

from __future__ import annotations

import pytest

from polku.accounts.enums import Role
from polku.insights.models import BackgroundFigure, BackgroundImport
from polku.synthetic.background import seed_demo_background

pytestmark = pytest.mark.django_db


def test_the_sample_files_are_loaded_once(make_professional):
    make_professional(username="analyytikko", role=Role.ANALYST)

    assert seed_demo_background() == 24 + 72
    assert seed_demo_background() == 0

    assert BackgroundFigure.objects.count() == 96
    assert sorted(BackgroundImport.objects.values_list("file_name", "added")) == [
        ("jobseekers-pirkanmaa-2025.csv", 72),
        ("population-pirkanmaa-2023-2024.csv", 24),
    ]
