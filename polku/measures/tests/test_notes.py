"""An instrument's notes (its licence and the source of its reliability) are read in the
reader's language; a new translation of a note keeps the version's number."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.urls import reverse

from polku.measures import services
from polku.measures.definitions import EVERY_LANGUAGE, DefinitionError, parse_definition

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "name", "reliability"),
    [
        ("fi", "Työkykyindeksi", "toistomittausten ICC 0,79"),
        ("sv", "Arbetsförmågeindex", "test-retest-ICC 0,79"),
        ("en", "Work Ability Index", "test-retest ICC 0.79"),
    ],
)
def test_the_instruments_page_gives_the_notes_in_the_readers_language(
    setting, client, language, name, reliability
):
    # Given a professional reading in one of the languages
    client.force_login(setting.worker)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    # When they open the instruments page
    page = client.get(reverse("measures:instruments")).content.decode()

    # Then the licence and the reliability's source are in that language
    assert f"{name}</span>" in page
    assert reliability in page


def test_a_note_may_be_one_string_for_every_language(setting):
    data = json.loads(json.dumps(services.latest_version("work-ability-index").definition_data))
    data["licence"]["name"] = "Work Ability Index"

    definition = parse_definition(data)

    assert definition.licence.name == {EVERY_LANGUAGE: "Work Ability Index"}
    assert definition.licence.localized_name == "Work Ability Index"


def test_a_new_translation_of_a_note_keeps_the_version(setting):
    # Given a loaded version
    loaded = services.latest_version("work-ability-index")
    changed = json.loads(json.dumps(loaded.definition_data))

    # When only its notes change (a better Swedish translation)
    changed["licence"]["name"]["sv"] = "Arbetsförmågeindexet"
    changed["reliability_source"]["sv"] = "Reliabilitet enligt Silva Junior m.fl. 2013."
    assert services.import_definition(changed, source="import") is None

    # Then the same version reads the new notes
    loaded.refresh_from_db()
    reread = services.latest_version("work-ability-index")
    assert (reread.pk, reread.version) == (loaded.pk, loaded.version)
    assert reread.definition.licence.name["sv"] == "Arbetsförmågeindexet"


def test_a_note_in_an_unknown_language_is_refused(setting):
    data = json.loads(json.dumps(services.latest_version("work-ability-index").definition_data))
    data["licence"]["source"] = {"de": "Arbeitsfähigkeitsindex"}

    with pytest.raises(DefinitionError, match=r"licence\.source"):
        parse_definition(data)
