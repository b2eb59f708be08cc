"""The migrations describe the models exactly: a change of a field without its migration
would reach production databases differently from the tests'."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_every_model_change_has_its_migration():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as missing:
        pytest.fail(f"models changed without a migration:\n{out.getvalue()}", pytrace=False)
        raise AssertionError from missing
