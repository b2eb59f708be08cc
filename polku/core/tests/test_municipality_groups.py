"""The municipalities' urban–rural grouping: loaded all-or-nothing per version, every
municipality in exactly one group, and the rural codes an ESF+ indicator counts by.

Apart from the test of the shipped files, the groupings here are test data made up for
the tests (every municipality rural but a handful), not Statistics Finland's grouping.
"""

from __future__ import annotations

import csv
import io
import shutil

import pytest
from django.core.management import call_command

from polku.core.codesets import (
    DATA_DIR,
    CodeSetError,
    MunicipalityGrouping,
    load_all,
    load_codeset,
    load_municipality_grouping,
    municipality_groupings,
)
from polku.core.codesets.rural import (
    GroupingNotLoaded,
    classification_versions,
    rural_municipality_codes,
)
from polku.core.models import CodeSetVersion, Municipality, MunicipalityGroup, UrbanRuralGroup

pytestmark = pytest.mark.django_db

SHIPPED = municipality_groupings()
TEST_2025 = MunicipalityGrouping("2025")
NOT_RURAL = {"091": "urban", "049": "urban", "853": "urban", "005": "semi_urban"}


def grouping_text(groups: dict[str, str] | None = None) -> str:
    """A file naming every loaded municipality: rural unless ``groups`` says otherwise."""
    groups = {**NOT_RURAL, **(groups or {})}
    lines = ["code,group"]
    for code in Municipality.objects.order_by("code").values_list("code", flat=True):
        lines.append(f"{code},{groups.get(code, 'rural')}")
    return "\n".join(lines) + "\n"


@pytest.mark.skipif(not SHIPPED, reason="no sourced municipality-groups file is shipped yet")
@pytest.mark.parametrize("grouping", SHIPPED, ids=[grouping.key for grouping in SHIPPED])
def test_a_shipped_grouping_loads_and_groups_every_municipality_once(codesets, grouping):
    text = grouping.path.read_text(encoding="utf-8")
    codes = [row["code"] for row in csv.DictReader(io.StringIO(text))]
    assert codes == sorted(codes)

    loaded = MunicipalityGroup.objects.filter(classification_version=grouping.version)
    assert loaded.count() == Municipality.objects.count() == 308
    assert set(loaded.values_list("municipality_id", flat=True)) == set(
        Municipality.objects.values_list("code", flat=True)
    )
    assert set(loaded.values_list("group", flat=True)) == set(UrbanRuralGroup.values)


def test_a_complete_grouping_gives_every_2025_municipality_exactly_one_group(codesets):
    count = load_codeset(TEST_2025, text=grouping_text())

    assert count == 308
    rows = MunicipalityGroup.objects.filter(classification_version="2025")
    assert sorted(rows.values_list("municipality_id", flat=True)) == sorted(
        Municipality.objects.values_list("code", flat=True)
    )
    assert rows.get(municipality_id="005").group == UrbanRuralGroup.SEMI_URBAN
    # Åland's municipalities are classified too.
    assert rows.filter(municipality_id="478").exists()
    assert CodeSetVersion.objects.get(codeset="municipality-groups-2025").version == "2025"


def test_loading_the_same_file_again_changes_nothing_and_a_changed_file_updates(codesets):
    text = grouping_text()
    load_municipality_grouping(TEST_2025, text=text)
    recorded = CodeSetVersion.objects.get(codeset="municipality-groups-2025").loaded_at

    assert load_municipality_grouping(TEST_2025, text=text) is None
    assert CodeSetVersion.objects.get(codeset="municipality-groups-2025").loaded_at == recorded

    assert load_municipality_grouping(TEST_2025, text=grouping_text({"005": "rural"})) == 308
    assert MunicipalityGroup.objects.filter(classification_version="2025").count() == 308
    assert "005" in rural_municipality_codes("2025")


def test_a_bad_file_loads_nothing_and_names_every_bad_line(codesets):
    load_municipality_grouping(MunicipalityGrouping("2024"), text=grouping_text())
    before = list(MunicipalityGroup.objects.values_list("pk", "group"))
    header, *rows = grouping_text().splitlines()
    rest = [row for row in rows if not row.startswith(("005,", "009,", "020,"))]
    text = "\n".join(
        [
            header,
            "005,semi_urban",
            "009,rural",
            "998,rural",  # no such municipality
            "020,suburban",  # no such group
            "005,urban",  # a code again
            *rest,
        ]
    )

    with pytest.raises(CodeSetError) as raised:
        load_codeset(TEST_2025, text=text)

    assert raised.value.codeset == "municipality-groups-2025"
    assert raised.value.problems == [
        "line 4: code '998' is not a known municipality",
        "line 5: group 'suburban' is not one of urban, semi_urban, rural",
        "line 6: code 005 appears twice",
    ]
    assert list(MunicipalityGroup.objects.values_list("pk", "group")) == before
    assert not CodeSetVersion.objects.filter(codeset="municipality-groups-2025").exists()


def test_a_file_that_leaves_municipalities_out_is_refused(codesets):
    lines = [line for line in grouping_text().splitlines() if not line.startswith(("478,", "992,"))]

    with pytest.raises(CodeSetError) as raised:
        load_municipality_grouping(TEST_2025, text="\n".join(lines) + "\n")

    assert raised.value.problems == ["municipalities without a group: 478, 992"]
    assert not MunicipalityGroup.objects.exists()


def test_wrong_columns_are_refused(codesets):
    with pytest.raises(CodeSetError) as raised:
        load_municipality_grouping(TEST_2025, text="kunta,kuntaryhma\n091,1\n")

    assert raised.value.problems == ["columns must be code,group, found ['kunta', 'kuntaryhma']"]
    assert not MunicipalityGroup.objects.exists()


def test_the_rural_codes_are_those_of_the_asked_or_latest_version(codesets):
    load_municipality_grouping(MunicipalityGrouping("2024"), text=grouping_text())
    load_municipality_grouping(TEST_2025, text=grouping_text({"005": "rural", "092": "urban"}))

    assert classification_versions() == ["2024", "2025"]
    latest = rural_municipality_codes()
    assert latest == rural_municipality_codes("2025")
    assert len(latest) == 308 - 4
    assert "005" in latest
    assert "092" not in latest
    assert not {"091", "049", "853"} & latest
    older = rural_municipality_codes("2024")
    assert "005" not in older
    assert "092" in older
    assert isinstance(latest, frozenset)


def test_without_a_loaded_version_the_rural_codes_are_refused_not_empty(codesets):
    assert classification_versions() == []
    with pytest.raises(GroupingNotLoaded):
        rural_municipality_codes()

    load_municipality_grouping(TEST_2025, text=grouping_text())
    with pytest.raises(GroupingNotLoaded):
        rural_municipality_codes("2023")


def test_load_codesets_loads_every_shipped_version_of_the_grouping(db, monkeypatch, tmp_path):
    for path in DATA_DIR.glob("*.csv"):
        shutil.copy(path, tmp_path / path.name)
    monkeypatch.setattr("polku.core.codesets.DATA_DIR", tmp_path)
    load_all()  # the municipalities, which the test file is made from
    (tmp_path / "municipality-groups-2030.csv").write_text(grouping_text(), encoding="utf-8")
    out = io.StringIO()

    call_command("load_codesets", stdout=out)

    assert "municipality-groups-2030: 308 rows loaded" in out.getvalue()
    assert classification_versions()[-1] == "2030"
    assert load_all()["municipality-groups-2030"] is None
