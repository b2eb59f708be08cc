"""Loading background figures: each layout read with exact values, every kind of bad row
reported with its row number and nothing loaded, dry runs, re-imports and replacements,
the refusal, and the management command."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from polku.insights.enums import BackgroundFileKind
from polku.insights.models import BackgroundFigure, BackgroundImport
from polku.insights.tests.fixtures_background import (
    JOBSEEKERS_SAMPLE,
    POPULATION_SAMPLE,
    figures,
    load,
    problems,
)
from polku.policy.actors import Actor

pytestmark = pytest.mark.django_db

POP = "population"
UNEMPLOYED = "unemployed"
LONG_TERM = "long_term_unemployed"


# --- the layouts -------------------------------------------------------------------------------


def test_the_population_sample_in_pxweb_layout_is_loaded_with_exact_values(analyst):
    # given the shipped PxWeb export: a BOM, a title line, ";" between quoted cells,
    # "KU837 Tampere", "260 400", a region's rows and a source note under the table
    content = POPULATION_SAMPLE.read_bytes()

    report = load(analyst, content, file_name="population.csv", source="Esimerkki")

    assert problems(report) == []
    assert report.kind == BackgroundFileKind.POPULATION
    assert (report.rows_read, report.to_add, report.to_replace, report.unchanged) == (26, 24, 0, 0)
    assert report.other_areas == 2
    loaded = figures()
    assert len(loaded) == 24
    assert loaded[("837", POP, 2024, None)] == 260400
    assert loaded[("837", POP, 2023, None)] == 257500
    assert loaded[("581", POP, 2023, None)] == 6390
    assert loaded[("508", POP, 2024, None)] == 9400
    batch = BackgroundImport.objects.get()
    assert report.batch == batch
    assert batch.imported_by == analyst
    assert batch.imported_by_name == "Aino Analyysimaa"
    assert batch.file_name == "population.csv"
    assert batch.sha256 == hashlib.sha256(content).hexdigest()
    assert (batch.kind, batch.rows, batch.added, batch.replaced) == ("population", 26, 24, 0)
    assert batch.source == "Esimerkki"
    assert set(BackgroundFigure.objects.values_list("batch", flat=True)) == {batch.pk}


def test_the_jobseekers_sample_carries_both_kinds_of_figure(analyst):
    report = load(analyst, JOBSEEKERS_SAMPLE.read_bytes())

    assert problems(report) == []
    assert report.kind == BackgroundFileKind.JOBSEEKERS
    assert (report.rows_read, report.to_add) == (36, 72)
    loaded = figures()
    assert loaded[("837", UNEMPLOYED, 2025, 3)] == 20572
    assert loaded[("837", LONG_TERM, 2025, 3)] == 8519
    assert loaded[("581", UNEMPLOYED, 2025, 1)] == 419
    assert loaded[("581", LONG_TERM, 2025, 2)] == 152


def test_a_comma_file_with_plain_codes_swedish_names_and_iso_months(analyst):
    text = (
        "Alue,Kuukausi,Pitkäaikaistyöttömät\n"
        "091,2024-03,9 876\n"
        'Tammerfors,2024-03,"8 519"\n'
        "nokia,2024M12,783\n"
    )

    report = load(analyst, text)

    assert problems(report) == []
    assert figures() == {
        ("091", LONG_TERM, 2024, 3): 9876,
        ("837", LONG_TERM, 2024, 3): 8519,
        ("536", LONG_TERM, 2024, 12): 783,
    }


def test_a_semicolon_file_with_a_bom_and_the_only_column_left_as_the_figure(analyst):
    text = "\ufeffKunta;Vuosi;Väkiluku\r\n837 Tampere;2024;1234\r\nYlöjärvi;2024;1 001\r\n"

    report = load(analyst, text.encode())

    assert problems(report) == []
    assert figures() == {("837", POP, 2024, None): 1234, ("980", POP, 2024, None): 1001}


def test_missing_figures_are_reported_and_the_rest_loaded(analyst):
    text = (
        "Alue;Kuukausi;Työttömät työnhakijat;Pitkäaikaistyöttömät\n"
        "837;2025M01;..;100\n"
        "536;2025M01;50;-\n"
    )

    report = load(analyst, text)

    assert problems(report) == []
    assert [(m.row, m.column) for m in report.missing] == [
        (2, "Työttömät työnhakijat"),
        (3, "Pitkäaikaistyöttömät"),
    ]
    assert figures() == {("837", LONG_TERM, 2025, 1): 100, ("536", UNEMPLOYED, 2025, 1): 50}


# --- bad files and bad rows --------------------------------------------------------------------

GOOD_ROW = "837 Tampere;2024;1000\n"


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("998;2024;10", [(3, "Alue", "No municipality has the code 998.")]),
        ("Atlantis;2024;10", [(3, "Alue", "No municipality is called Atlantis.")]),
        (
            "KU091 Tampere;2024;10",
            [(3, "Alue", "The code 091 is the municipality Helsinki, not Tampere.")],
        ),
        (";2024;10", [(3, "Alue", "The municipality is missing.")]),
        ("536;2024;12a", [(3, "Väkiluku", "12a is not a whole number.")]),
        ("536;2024;-5", [(3, "Väkiluku", "A figure cannot be negative (-5).")]),
        ("536;1899;10", [(3, "Vuosi", "The year 1899 is out of range (1900–2025).")]),
        ("536;2026;10", [(3, "Vuosi", "The year 2026 is out of range (1900–2025).")]),
        ("536;vuosi 2024;10", [(3, "Vuosi", "vuosi 2024 is not a year (such as 2024).")]),
        (
            "837;2024;1000",
            [(3, "Väkiluku", "The same figure (municipality, period) is already on row 2.")],
        ),
        ("536;2024", [(3, "", "The row has 2 cells; the header has 3.")]),
        (
            "Atlantis;20x4;-1",
            [
                (3, "Alue", "No municipality is called Atlantis."),
                (3, "Vuosi", "20x4 is not a year (such as 2024)."),
                (3, "Väkiluku", "A figure cannot be negative (-1)."),
            ],
        ),
    ],
)
def test_a_bad_row_is_reported_with_its_row_number_and_nothing_is_loaded(analyst, row, expected):
    text = "Alue;Vuosi;Väkiluku\n" + GOOD_ROW + row + "\n"

    report = load(analyst, text)

    assert problems(report) == expected
    assert not report.ok
    assert not report.loaded
    assert report.to_add == 1
    assert BackgroundFigure.objects.count() == 0
    assert BackgroundImport.objects.count() == 0


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("536;2024M13;10", (3, "Kuukausi", "2024M13 is not a month (such as 2024M03 or 2024-03).")),
        ("536;2026-01;10", (3, "Kuukausi", "The year 2026 is out of range (1900–2025).")),
        ("536;2024;10", (3, "Kuukausi", "2024 is not a month (such as 2024M03 or 2024-03).")),
    ],
)
def test_a_bad_month_is_reported(analyst, row, expected):
    text = "Alue;Kuukausi;Työttömät työnhakijat\n837;2024M01;10\n" + row + "\n"

    report = load(analyst, text)

    assert problems(report) == [expected]
    assert BackgroundFigure.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "Alue;Vuosi;Väkiluku;Työttömät\n837;2024;1;2\n".encode(),
            "A population file has one column of figures besides Alue and Vuosi; this header "
            "(Alue; Vuosi; Väkiluku; Työttömät) has 2.",
        ),
        (
            "Alue;Kuukausi;Työvoima\n837;2024M01;1\n".encode(),
            "The column Työvoima is not a figure Polku knows. A jobseekers file has the columns "
            "Työttömät työnhakijat and/or Pitkäaikaistyöttömät.",
        ),
        (
            "Kaupunki;Vuosi;Väkiluku\n837;2024;1\n".encode(),
            "The header (Kaupunki; Vuosi; Väkiluku) is not a layout Polku knows. It needs the "
            "column Alue, either Vuosi (population) or Kuukausi (jobseekers), and the columns "
            "of figures.",
        ),
        (
            "Alue;Vuosi;Kuukausi;Väkiluku\n".encode(),
            "The header (Alue; Vuosi; Kuukausi; Väkiluku) is not a layout Polku knows. It needs "
            "the column Alue, either Vuosi (population) or Kuukausi (jobseekers), and the "
            "columns of figures.",
        ),
        (
            "Alue;Vuosi;Työttömät työnhakijat\n837;2024;1\n".encode(),
            "The column Työttömät työnhakijat counts jobseekers, which are loaded by month: "
            "the file needs the column Kuukausi instead of Vuosi.",
        ),
        ("Alue;Vuosi;Väkiluku\n837;2024;1\n".encode("latin-1"), None),
        (b"", "The file has no header row: it has no rows of several columns."),
    ],
)
def test_a_file_of_unknown_layout_is_one_clear_error(analyst, content, expected):
    report = load(analyst, content)

    assert len(report.problems) == 1
    if expected is None:
        assert report.problems[0].message == (
            "The file is not UTF-8 text. Save it as CSV in UTF-8."
        )
    else:
        assert report.problems[0].message == expected
    assert BackgroundFigure.objects.count() == 0
    assert BackgroundImport.objects.count() == 0


def test_a_row_that_cannot_be_read_as_csv_stops_the_file(analyst):
    text = 'Alue;Vuosi;Väkiluku\n837;2024;1000\n536;2024;"' + "1" * 200_000 + '"\n'

    report = load(analyst, text)

    assert problems(report) == [
        (
            3,
            "",
            "The row cannot be read as CSV: a cell is too long or a quote is not closed.",
        )
    ]
    assert BackgroundFigure.objects.count() == 0


def test_a_nul_character_in_the_file_name_is_not_stored(analyst):
    load(analyst, "Alue;Vuosi;Väkiluku\n837;2024;1000\n", file_name="luvut\x00.csv")

    assert BackgroundImport.objects.get().file_name == "luvut.csv"


# --- dry runs, re-imports, replacements --------------------------------------------------------


def test_a_dry_run_tells_what_would_change_and_writes_nothing(analyst):
    report = load(analyst, POPULATION_SAMPLE.read_bytes(), dry_run=True)

    assert (report.to_add, report.to_replace, report.loaded) == (24, 0, False)
    assert report.summary()[-1] == "Dry run: nothing was loaded."
    assert BackgroundFigure.objects.count() == 0
    assert BackgroundImport.objects.count() == 0


def test_a_dry_run_after_a_load_counts_the_replacements_and_changes_nothing(analyst):
    load(analyst, "Alue;Vuosi;Väkiluku\n837;2024;1000\n536;2024;500\n")

    report = load(analyst, "Alue;Vuosi;Väkiluku\n837;2024;1001\n536;2024;500\n", dry_run=True)

    assert (report.to_add, report.to_replace, report.unchanged) == (0, 1, 1)
    assert figures()[("837", POP, 2024, None)] == 1000
    assert BackgroundImport.objects.count() == 1


def test_loading_the_same_file_again_changes_nothing(analyst):
    content = JOBSEEKERS_SAMPLE.read_bytes()
    load(analyst, content)
    before = figures()

    again = load(analyst, content)

    assert (again.to_add, again.to_replace, again.unchanged) == (0, 0, 72)
    assert again.batch is None
    assert again.summary()[-1] == "Nothing new: the figures were already loaded."
    assert figures() == before
    assert BackgroundImport.objects.count() == 1


def test_a_newer_file_replaces_the_values_of_the_same_keys_and_says_how_many(
    analyst, administrator
):
    first = load(analyst, "Alue;Vuosi;Väkiluku\n837;2024;1000\n536;2024;500\n980;2024;300\n")

    second = load(
        administrator,
        "Alue;Vuosi;Väkiluku\n837;2024;1010\n536;2024;505\n980;2024;300\n211;2024;200\n",
        file_name="korjattu.csv",
    )

    assert (second.to_add, second.to_replace, second.unchanged) == (1, 2, 1)
    assert figures() == {
        ("837", POP, 2024, None): 1010,
        ("536", POP, 2024, None): 505,
        ("980", POP, 2024, None): 300,
        ("211", POP, 2024, None): 200,
    }
    batches = dict(BackgroundFigure.objects.values_list("municipality_id", "batch"))
    assert second.batch is not None
    assert first.batch is not None
    assert batches == {
        "837": second.batch.pk,
        "536": second.batch.pk,
        "980": first.batch.pk,
        "211": second.batch.pk,
    }
    assert (second.batch.added, second.batch.replaced) == (1, 2)
    assert second.batch.imported_by_name == "Pekka Pääkäyttäjämaa"


def test_a_social_worker_may_not_load_and_nothing_changes(social_worker):
    with pytest.raises(PermissionDenied):
        load(social_worker, POPULATION_SAMPLE.read_bytes())

    assert BackgroundFigure.objects.count() == 0
    assert BackgroundImport.objects.count() == 0


# --- the command -------------------------------------------------------------------------------


def test_the_command_loads_a_file_and_prints_the_report(codesets, capsys):
    call_command("import_background_figures", str(POPULATION_SAMPLE), source="Esimerkki")

    output = capsys.readouterr().out
    assert "26 rows read." in output
    assert "Figures to add: 24." in output
    assert "The figures have been loaded." in output
    batch = BackgroundImport.objects.get()
    assert (batch.imported_by, batch.imported_by_name) == (
        None,
        "insights.import_background_figures",
    )
    assert BackgroundFigure.objects.count() == 24


def test_the_command_s_dry_run_loads_nothing(codesets, capsys):
    call_command("import_background_figures", str(JOBSEEKERS_SAMPLE), "--dry-run")

    output = capsys.readouterr().out
    assert "Figures to add: 72." in output
    assert "Dry run: nothing was loaded." in output
    assert BackgroundFigure.objects.count() == 0


def test_the_command_exits_with_status_1_on_bad_rows(codesets, tmp_path, capsys):
    path = tmp_path / "huono.csv"
    path.write_text("Alue;Vuosi;Väkiluku\n837;2024;1000\n998;2024;5\n", encoding="utf-8")

    with pytest.raises(CommandError) as raised:
        call_command("import_background_figures", str(path))

    assert raised.value.returncode == 1
    assert str(raised.value) == "1 problem: nothing was loaded."
    assert "3 Alue: No municipality has the code 998." in capsys.readouterr().err
    assert BackgroundFigure.objects.count() == 0


def test_the_system_job_is_allowed_and_a_client_side_actor_is_not(codesets, social_worker):
    from polku.policy import decisions

    assert decisions.may_import_background_figures(
        Actor.system("insights.import_background_figures")
    )
    assert not decisions.may_import_background_figures(Actor.for_user(social_worker))
