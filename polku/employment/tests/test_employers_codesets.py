"""The industry (TOL 2008) and occupation (Classification of Occupations 2010) code sets."""

import pytest
from django.utils import translation

from polku.core.codesets import CODESETS, CodeSetError, load_all, load_codeset
from polku.core.models import Industry, Occupation

pytestmark = pytest.mark.django_db

INDUSTRIES = next(codeset for codeset in CODESETS if codeset.name == "industries")


def test_the_industry_code_set_has_every_section_and_division_with_its_parent():
    results = load_all()

    # TOL 2008 (as NACE Rev. 2): 21 sections A–U and 88 two-digit divisions.
    assert results["industries"] == 109
    sections = Industry.objects.filter(parent__isnull=True)
    assert [section.code for section in sections] == list("ABCDEFGHIJKLMNOPQRSTU")
    assert Industry.objects.filter(parent__isnull=False).count() == 88
    assert list(Industry.objects.filter(parent="C").values_list("code", flat=True)) == [
        f"{number:02}" for number in range(10, 34)
    ]
    employment = Industry.objects.get(pk="78")
    assert (employment.parent_id, employment.name_fi, employment.name_en) == (
        "N",
        "Työllistämistoiminta",
        "Employment activities",
    )
    assert not Industry.objects.filter(name_sv="").exists()


def test_the_occupation_code_set_has_three_levels_of_isco_08():
    load_all()

    levels = [
        Occupation.objects.filter(code__regex=rf"^\d{{{length}}}$").count() for length in (1, 2, 3)
    ]
    assert levels == [10, 43, 130]
    assert all(
        occupation.code.startswith(occupation.parent_id or "-")
        for occupation in Occupation.objects.filter(parent__isnull=False)
    )
    cooks = Occupation.objects.select_related("parent__parent").get(pk="512")
    assert cooks.name_en == "Cooks"
    assert cooks.parent is not None
    assert cooks.parent.parent is not None
    assert cooks.parent.parent.name_fi == "Palvelu- ja myyntityöntekijät"
    with translation.override("sv"):
        assert str(Occupation.objects.get(pk="2")) == "2 Specialister"


def test_a_parent_must_come_on_an_earlier_line_of_the_same_file():
    text = (
        "code,name_fi,name_sv,name_en,parent_code\n"
        "01,Kasvinviljely,Växtodling,Crop production,A\n"
        "A,Maatalous,Jordbruk,Agriculture,\n"
        "B,Kaivostoiminta,Utvinning,Mining,B\n"
    )

    with pytest.raises(CodeSetError) as raised:
        load_codeset(INDUSTRIES, text=text)

    assert raised.value.problems == [
        "line 2: parent_code A is not a known code",
        "line 4: parent_code B is not a known code",
    ]
    assert not Industry.objects.exists()
