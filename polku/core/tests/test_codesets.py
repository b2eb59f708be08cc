"""Loading the shipped code sets: complete, idempotent, and all-or-nothing."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from polku.core.codesets import CODESETS, CodeSetError, load_all, load_codeset
from polku.core.models import CodeSetVersion, EmploymentArea, Municipality, WellbeingCounty

pytestmark = pytest.mark.django_db

MUNICIPALITIES = next(codeset for codeset in CODESETS if codeset.name == "municipalities")
COUNTIES = next(codeset for codeset in CODESETS if codeset.name == "wellbeing-counties")


def test_every_shipped_code_set_loads_with_official_codes_and_names():
    results = load_all()

    assert results["municipalities"] == Municipality.objects.count()
    # Statistics Finland's classification for 2025 has 308 municipalities.
    assert Municipality.objects.count() == 308
    tampere = Municipality.objects.select_related("wellbeing_county").get(pk="837")
    assert (tampere.name_fi, tampere.name_sv) == ("Tampere", "Tammerfors")
    assert tampere.wellbeing_county is not None
    assert Municipality.objects.get(pk="091").name_sv == "Helsingfors"
    # Åland's municipalities belong to no wellbeing services county or employment area.
    mariehamn = Municipality.objects.get(pk="478")
    assert (mariehamn.wellbeing_county_id, mariehamn.employment_area_id) == (None, None)
    assert WellbeingCounty.objects.count() >= 22
    assert EmploymentArea.objects.count() == 45


def test_loading_again_changes_nothing():
    load_all()
    versions = list(CodeSetVersion.objects.values_list("codeset", "sha256", "loaded_at"))

    results = load_all()

    assert set(results.values()) == {None}
    assert list(CodeSetVersion.objects.values_list("codeset", "sha256", "loaded_at")) == versions


def test_a_malformed_file_is_refused_with_every_problem_named_and_changes_nothing():
    load_all()
    before = list(Municipality.objects.order_by("code").values_list("code", "name_fi"))
    text = (
        "code,name_fi,name_sv,wellbeing_county_code,employment_area_code\n"
        "837,Tampere muutettu,Tammerfors,,\n"
        "838,,Nytt,,\n"
        "837,Kaksoiskappale,Dubblett,,\n"
        "999,Uusi,Ny,XX,\n"
    )

    with pytest.raises(CodeSetError) as raised:
        load_codeset(MUNICIPALITIES, text=text)

    assert raised.value.problems == [
        "line 3: code, name_fi and name_sv are required",
        "line 4: code 837 appears twice",
        "line 5: wellbeing_county_code XX is not a known code",
    ]
    assert list(Municipality.objects.order_by("code").values_list("code", "name_fi")) == before


def test_wrong_columns_are_refused():
    with pytest.raises(CodeSetError) as raised:
        load_codeset(COUNTIES, text="koodi,nimi\n01,Uusimaa\n")

    assert "columns must be code,name_fi,name_sv" in raised.value.problems[0]
    assert not WellbeingCounty.objects.exists()


def test_the_command_reports_a_bad_file_as_an_error(monkeypatch, tmp_path):
    bad = tmp_path / "wellbeing-counties-2023.csv"
    bad.write_text("code,name_fi,name_sv\n01,,\n", encoding="utf-8")
    monkeypatch.setattr("polku.core.codesets.DATA_DIR", tmp_path)

    with pytest.raises(CommandError, match="line 2: code, name_fi and name_sv are required"):
        call_command("load_codesets")

    assert not WellbeingCounty.objects.exists()


@pytest.mark.parametrize(
    ("language", "county", "area", "municipality"),
    [
        ("fi", "Pirkanmaan hyvinvointialue", "Tampereen seudun työllisyysalue", "Tampere"),
        (
            "sv",
            "Birkalands välfärdsområde",
            "Tammerforsregionens sysselsättningsområde",
            "Tammerfors",
        ),
        (
            "en",
            "Wellbeing services county of Pirkanmaa",
            "Tampere region employment area",
            "Tampere",
        ),
    ],
)
def test_a_code_set_entry_is_named_in_the_active_language(language, county, area, municipality):
    load_all()
    tampere = Municipality.objects.select_related("wellbeing_county", "employment_area").get(
        pk="837"
    )

    with translation.override(language):
        assert tampere.wellbeing_county is not None
        assert tampere.employment_area is not None
        names = (tampere.wellbeing_county.name, tampere.employment_area.name, tampere.name)
    assert names == (county, area, municipality)


def test_a_file_without_english_names_still_loads_and_shows_the_finnish_ones():
    load_codeset(
        COUNTIES,
        text="code,name_fi,name_sv\n08,Pirkanmaan hyvinvointialue,Birkalands välfärdsområde\n",
    )

    county = WellbeingCounty.objects.get(pk="08")
    assert county.name_en == ""
    with translation.override("en"):
        assert county.name == "Pirkanmaan hyvinvointialue"
