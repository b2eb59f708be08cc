"""Every user-visible string is translated to Finnish and Swedish, and compiled."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[3]
TRANSLATED = ["fi", "sv"]


def catalogue(language: str, root: Path = ROOT) -> Path:
    return root / "locale" / language / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    po = polib.pofile(str(catalogue(language)))

    assert [entry.msgid for entry in po.untranslated_entries()] == []
    assert [entry.msgid for entry in po.fuzzy_entries()] == []


@pytest.mark.parametrize("language", [*TRANSLATED, "en"])
def test_the_compiled_catalogue_matches_the_source(language):
    compiled_path = catalogue(language).with_suffix(".mo")
    assert compiled_path.exists(), "run `make messages` to compile the catalogues"
    po = polib.pofile(str(catalogue(language)))
    mo = polib.mofile(str(compiled_path))

    source = {(e.msgctxt, e.msgid): e.msgstr for e in po.translated_entries()}
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in mo if e.msgid}
    assert compiled == source, "run `make messages` to recompile the catalogues"


def test_the_catalogues_hold_every_string_in_the_code(tmp_path):
    """Extract the strings afresh from a copy of the code and compare the message ids."""
    for name in ("polku", "locale"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("*.mo"))
    shutil.copy(ROOT / "manage.py", tmp_path)

    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fi", "--no-location"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )

    extracted = {e.msgid for e in polib.pofile(str(catalogue("fi", tmp_path))) if not e.obsolete}
    committed = {e.msgid for e in polib.pofile(str(catalogue("fi"))) if not e.obsolete}
    assert extracted - committed == set(), "run `make messages` and translate the new strings"
    assert committed - extracted == set(), "run `make messages` to drop strings no longer used"
