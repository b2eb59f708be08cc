"""Languages come from settings.LANGUAGES: adding one (Northern Sámi) needs no code change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from polku.core import languages
from polku.measures import services
from polku.measures.definitions import DefinitionError, parse_definition
from polku.measures.forms import WordingForm
from polku.measures.tests.test_measurements import start, with_wording
from polku.measures.texts import localized

INSTRUMENTS = Path(__file__).resolve().parents[1] / "instruments"
WITH_SAMI = [
    ("fi", _("Finnish")),
    ("sv", _("Swedish")),
    ("en", _("English")),
    ("se", _("Northern Sámi")),
]


@pytest.fixture
def sami(settings):
    settings.LANGUAGES = WITH_SAMI


def test_the_language_switcher_offers_every_language_of_the_settings(sami, client, db):
    # Given Northern Sámi among the languages (Django itself knows nothing of it)
    # When the sign-in page is shown
    page = client.get(reverse("accounts:login"))

    # Then the switcher offers it, named as the settings name it in Sámi: until a Sámi
    # translation file names it, in the default language (Finnish)
    assert page.status_code == 200
    assert 'value="se" lang="se">Pohjoissaame</button>' in page.content.decode()
    assert 'value="sv" lang="sv">Svenska</button>' in page.content.decode()


def test_a_language_without_a_text_falls_back_to_the_default_then_the_others(sami):
    # Given texts in some languages only
    # When the text is asked in Northern Sámi
    # Then Finnish (the default) stands in, else the first language that has one
    assert localized({"sv": "Fråga", "fi": "Kysymys"}, "se") == "Kysymys"
    assert localized({"en": "Question", "sv": "Fråga"}, "se") == "Fråga"
    assert localized({"se": "Gažaldat", "fi": "Kysymys"}, "se") == "Gažaldat"
    assert localized({"de": "Frage"}, "se") == "Frage"
    assert languages.supported("se") == "se"
    assert languages.supported("de") == "fi"


def test_definitions_accept_texts_in_the_languages_of_the_settings(sami, settings):
    # Given a shipped definition with a title in Northern Sámi added
    data = json.loads((INSTRUMENTS / "work-ability-score-1.1.json").read_text())
    data["title"]["se"] = "Bargonávccalohku"

    # When it is read with Sámi among the languages, and without
    # Then it is accepted, and refused once the language is gone
    assert parse_definition(data).title["se"] == "Bargonávccalohku"
    settings.LANGUAGES = WITH_SAMI[:3]
    # (changing the setting resets the active language, so the message may be in Finnish)
    with pytest.raises(DefinitionError, match=r"^title: .* 'se' .*: fi, sv, en\)$"):
        parse_definition(data)


@pytest.mark.django_db
def test_the_questionnaire_link_offers_sami_and_shows_finnish_where_sami_is_missing(
    sami, setting, client
):
    # Given a questionnaire with wording in Finnish only
    with_wording(setting, "inclusion-indicator")
    administration = start(setting, code="inclusion-indicator", channel="link")
    token = services.create_answer_link(actor=setting.actor(), administration=administration)
    url = reverse("measures:public_answer", kwargs={"token": token})

    # When the client opens it in Northern Sámi
    page = client.get(url + "?lang=se")

    # Then the language choice offers Sámi as chosen, and the questions are in Finnish
    content = page.content.decode()
    assert page.status_code == 200
    assert '<a href="?lang=se" lang="se" aria-current="page">Pohjoissaame</a>' in content
    assert "Väittämä o1" in content


@pytest.mark.django_db
def test_the_wording_form_has_a_field_for_every_language(sami, setting):
    # Given a template instrument
    instrument = services.latest_version("inclusion-indicator")

    # When its wording form is built
    form = WordingForm(instrument=instrument)

    # Then each item has a field per language of the settings
    assert [name for name in form.fields if name.startswith("o1__")] == [
        "o1__fi",
        "o1__sv",
        "o1__en",
        "o1__se",
    ]
