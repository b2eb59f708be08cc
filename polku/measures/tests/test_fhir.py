"""Instrument definitions to FHIR R4 Questionnaires and back."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from fhir.resources.R4B.questionnaire import Questionnaire

from polku.measures.definitions import (
    EVERY_LANGUAGE,
    Definition,
    DefinitionError,
    parse_definition,
)
from polku.measures.fhir import (
    DEFINITION_EXTENSION,
    MAX_VALUE,
    MIN_VALUE,
    ORDINAL_VALUE,
    TRANSLATION,
    definition_to_questionnaire,
    fhir_name,
    questionnaire_to_definition,
)

INSTRUMENTS = sorted((Path(__file__).parent.parent / "instruments").glob("*.json"))


def load(path: Path) -> Definition:
    return parse_definition(json.loads(path.read_text(encoding="utf-8")))


def shipped(name: str) -> Definition:
    return load(next(path for path in INSTRUMENTS if path.stem == name))


def translations(element: dict[str, Any], key: str) -> dict[str, str]:
    found = {}
    for extension in element.get(f"_{key}", {}).get("extension", []):
        if extension["url"] == TRANSLATION:
            parts = {part["url"]: part for part in extension["extension"]}
            found[parts["lang"]["valueCode"]] = parts["content"]["valueString"]
    return found


def refused(resource: Any) -> str:
    with pytest.raises(DefinitionError) as caught:
        questionnaire_to_definition(resource)
    return str(caught.value)


# A definition using every field, including ones no shipped instrument uses.
FULL = {
    "code": "full_test.instrument",
    "version": "2.1-beta",
    "title": {"sv": "Bara på svenska", "en": "Only Swedish and English"},
    "description": {"fi": "Kuvaus", "en": "Description"},
    "respondent": "employer",
    "level": "group",
    "licence": {
        "name": "Test licence",
        "source": "Polku tests",
        "item_texts_included": True,
        "url": "https://example.org/licence",
    },
    "scales": {
        "often": {
            "min": 0,
            "max": 3,
            "missing_values": [9],
            "options": [
                {"value": 0, "label": {"fi": "Ei koskaan", "en": "Never"}},
                {"value": 1, "label": {"fi": "Joskus"}},
                {"value": 3, "label": {"en": "Always"}},
                {"value": 9, "label": {"fi": "En osaa sanoa"}},
            ],
        },
        "hours": {"min": 0, "max": 80, "missing_values": [99]},
        "unused": {
            "options": [{"value": 1, "label": {"sv": "Ett"}}, {"value": 2, "label": {"sv": "Två"}}]
        },
    },
    "items": [
        {
            "code": "q1",
            "scale": "often",
            "text": {"fi": "Kysymys", "sv": "Fråga"},
            "plain_text": {"fi": "Selkokielinen"},
        },
        {"code": "q_2", "scale": "often", "reverse": True, "required": False},
        {"code": "q3.hours", "scale": "hours", "text": {"en": "Hours a week"}},
    ],
    "subscales": [
        {"code": "a", "title": {"fi": "A"}, "items": ["q1", "q_2"]},
        {"code": "b", "title": {"en": "B"}, "items": ["q3.hours"]},
    ],
    "scoring": {"method": "rescaled", "max_missing_share": 0.34, "rescale_to": [0, 100]},
    "bands": [
        {"code": "low", "min": 0, "max": 49.5, "label": {"fi": "Matala"}},
        {"code": "high", "min": 50, "max": 100, "label": {"fi": "Korkea", "sv": "Hög"}},
    ],
    "reliability": 0.87,
    "reference_sd": 12.5,
    "higher_is_better": False,
}


def foreign() -> dict[str, Any]:
    """A minimal Questionnaire as another system might write it: no Polku extensions."""
    options = [
        {"valueCoding": {"system": "http://example.org/cs", "code": str(n), "display": label}}
        for n, label in ((0, "Not at all"), (1, "Several days"), (2, "More than half the days"))
    ]
    return {
        "resourceType": "Questionnaire",
        "id": "mood-3",
        "language": "en-GB",
        "url": "http://example.org/Questionnaire/mood-3",
        "version": "3.0",
        "name": "MoodThree",
        "title": "Mood, three items",
        "status": "draft",
        "publisher": "Example Org",
        "copyright": "© Example Org",
        "item": [
            {
                "linkId": "m1",
                "text": "Little interest",
                "type": "choice",
                "required": True,
                "answerOption": options,
            },
            {"linkId": "m2", "text": "Feeling down", "type": "choice", "answerOption": options},
            {
                "linkId": "m3",
                "text": "Sleeping badly",
                "type": "choice",
                "required": True,
                "answerOption": options,
            },
        ],
    }


# Round trips --------------------------------------------------------------------------


@pytest.mark.parametrize("path", INSTRUMENTS, ids=lambda path: path.stem)
def test_every_shipped_definition_round_trips(path: Path) -> None:
    definition = load(path)
    assert questionnaire_to_definition(definition_to_questionnaire(definition)) == definition


@pytest.mark.parametrize("path", INSTRUMENTS, ids=lambda path: path.stem)
def test_the_export_survives_json(path: Path) -> None:
    definition = load(path)
    resource = json.loads(json.dumps(definition_to_questionnaire(definition)))
    assert questionnaire_to_definition(resource) == definition


@pytest.mark.parametrize("path", INSTRUMENTS, ids=lambda path: path.stem)
def test_the_export_is_a_valid_r4_questionnaire(path: Path) -> None:
    resource = definition_to_questionnaire(load(path))
    model = Questionnaire.model_validate(resource)
    assert model.model_dump(mode="json", by_alias=True, exclude_none=True) == resource


def test_a_definition_using_every_field_round_trips() -> None:
    definition = parse_definition(FULL)
    resource = json.loads(json.dumps(definition_to_questionnaire(definition)))
    Questionnaire.model_validate(resource)
    again = questionnaire_to_definition(resource)
    assert again == definition
    assert list(again.scales) == list(definition.scales)
    assert again.scoring.rescale_to == (0, 100)


def test_a_reimport_of_the_reexport_is_stable() -> None:
    definition = parse_definition(FULL)
    resource = definition_to_questionnaire(definition)
    assert definition_to_questionnaire(questionnaire_to_definition(resource)) == resource


def test_empty_strings_fhir_cannot_hold_still_round_trip() -> None:
    data = json.loads(json.dumps(FULL))
    data["version"] = ""
    data["licence"] = {"name": "", "source": "", "item_texts_included": True}
    definition = parse_definition(data)
    resource = definition_to_questionnaire(definition)
    assert "version" not in resource
    assert "copyright" not in resource
    Questionnaire.model_validate(resource)
    assert questionnaire_to_definition(resource) == definition


# The shape of the export --------------------------------------------------------------


def test_the_export_names_and_titles_the_instrument() -> None:
    resource = definition_to_questionnaire(shipped("work-ability-score-1.1"))
    assert resource["resourceType"] == "Questionnaire"
    assert resource["url"] == "https://polku.invalid/fhir/Questionnaire/work-ability-score"
    assert resource["version"] == "1.1"
    assert resource["name"] == "WorkAbilityScore"
    assert resource["status"] == "active"
    assert resource["language"] == "fi"
    assert resource["title"] == "Työkykypistemäärä (WAS)"
    assert translations(resource, "title") == {
        "sv": "Arbetsförmågepoäng (WAS)",
        "en": "Work Ability Score (WAS)",
    }
    # The copyright is one string, in the resource's language (the default one).
    assert resource["copyright"].startswith("Työkykypistemäärä, työkykyindeksin ensimmäinen")
    assert "Ilmarinen J." in resource["copyright"]


def test_an_option_scale_becomes_a_choice_item_with_ordinal_values() -> None:
    [item] = definition_to_questionnaire(shipped("work-ability-score-1.1"))["item"]
    assert item["linkId"] == "was"
    assert item["type"] == "choice"
    assert item["required"] is True
    assert item["text"].startswith("Oletetaan, että työkykysi")
    assert set(translations(item, "text")) == {"sv", "en"}
    first = item["answerOption"][0]
    assert first["valueCoding"]["code"] == "0"
    assert first["valueCoding"]["display"] == "0 – en pysty lainkaan työhön"
    assert translations(first["valueCoding"], "display")["en"] == "0 – completely unable to work"
    assert first["extension"] == [{"url": ORDINAL_VALUE, "valueDecimal": 0}]
    assert [a["valueCoding"]["code"] for a in item["answerOption"]] == [str(n) for n in range(11)]


@pytest.mark.parametrize("path", INSTRUMENTS, ids=lambda path: path.stem)
def test_every_answer_coding_names_its_scales_code_system(path: Path) -> None:
    """One Polku CodeSystem per instrument scale, under the configured canonical base
    (``POLKU_FHIR_BASE_URL``), versioned by the instrument's version; the export still
    validates as FHIR and imports back to the same definition."""
    definition = load(path)
    resource = definition_to_questionnaire(definition)

    codings = [
        (item["linkId"], answer["valueCoding"])
        for item in resource["item"]
        for answer in item.get("answerOption", [])
    ]
    for link_id, coding in codings:
        scale = definition.item(link_id).scale
        assert coding["system"] == (
            f"https://polku.invalid/fhir/CodeSystem/{definition.code}-{scale}"
        )
        assert coding["version"] == definition.version
    Questionnaire.model_validate(resource)
    assert questionnaire_to_definition(resource) == definition


def test_the_work_ability_score_codes_its_answers_in_its_own_system() -> None:
    [item] = definition_to_questionnaire(shipped("work-ability-score-1.1"))["item"]
    coding = item["answerOption"][7]["valueCoding"]
    assert (coding["system"], coding["version"], coding["code"]) == (
        "https://polku.invalid/fhir/CodeSystem/work-ability-score-was",
        "1.1",
        "7",
    )


def test_missing_values_are_options_without_an_ordinal_value() -> None:
    item = definition_to_questionnaire(shipped("icf-rating-1.0"))["item"][0]
    ordinals = {a["valueCoding"]["code"]: "extension" in a for a in item["answerOption"]}
    assert ordinals == {
        "0": True,
        "1": True,
        "2": True,
        "3": True,
        "4": True,
        "8": False,
        "9": False,
    }
    assert item["required"] is False


def test_a_numeric_scale_becomes_an_integer_item_with_limits() -> None:
    item = definition_to_questionnaire(shipped("work-ability-index-1.2"))["item"][2]
    assert item["linkId"] == "wai2_physical"
    assert item["type"] == "integer"
    assert item["extension"] == [
        {"url": MIN_VALUE, "valueInteger": 1},
        {"url": MAX_VALUE, "valueInteger": 5},
    ]
    assert "answerOption" not in item


def test_a_template_exports_items_without_text() -> None:
    resource = definition_to_questionnaire(shipped("whodas-2-12-1.1"))
    assert [item["linkId"] for item in resource["item"]] == [f"s{n}" for n in range(1, 13)]
    assert all("text" not in item and "_text" not in item for item in resource["item"])


def test_the_rest_of_the_definition_is_one_polku_extension() -> None:
    resource = definition_to_questionnaire(parse_definition(FULL))
    [extension] = resource["extension"]
    assert extension["url"] == DEFINITION_EXTENSION
    data = json.loads(extension["valueString"])
    assert data["respondent"] == "employer"
    assert data["level"] == "group"
    assert data["items"]["q_2"] == {"scale": "often", "reverse": True}
    assert data["items"]["q1"]["plain_text"] == {"fi": "Selkokielinen"}
    assert data["licence"]["item_texts_included"] is True
    assert not {"code", "version", "title", "description"} & set(data)


def test_a_text_without_finnish_names_its_language() -> None:
    resource = definition_to_questionnaire(parse_definition(FULL))
    assert resource["title"] == "Bara på svenska"
    assert {"url": "http://hl7.org/fhir/StructureDefinition/language", "valueCode": "sv"} in (
        resource["_title"]["extension"]
    )
    assert translations(resource, "title") == {"en": "Only Swedish and English"}


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("work-ability-index", "WorkAbilityIndex"),
        ("whodas-2-12", "Whodas212"),
        ("full_test.instrument", "FullTestInstrument"),
        ("12-item", "Instrument12Item"),
    ],
)
def test_fhir_names_are_valid(code: str, name: str) -> None:
    assert fhir_name(code) == name


# Questionnaires from elsewhere --------------------------------------------------------


def test_a_foreign_questionnaire_imports_as_a_sum_score() -> None:
    definition = questionnaire_to_definition(foreign())
    assert definition.code == "mood-3"
    assert definition.version == "3.0"
    assert definition.title == {"en": "Mood, three items"}
    assert definition.respondent == "client"
    assert definition.level == "individual"
    assert definition.scoring.method == "sum"
    assert definition.licence.name == {EVERY_LANGUAGE: "© Example Org"}
    assert definition.licence.source == {EVERY_LANGUAGE: "Example Org"}
    assert definition.licence.item_texts_included is True
    assert [item.code for item in definition.items] == ["m1", "m2", "m3"]
    assert [item.required for item in definition.items] == [True, False, True]
    assert {item.scale for item in definition.items} == {"m1"}
    scale = definition.scales["m1"]
    assert (scale.minimum, scale.maximum) == (0, 2)
    assert [option.value for option in scale.options] == [0, 1, 2]
    assert scale.options[2].label == {"en": "More than half the days"}
    assert definition.item("m2").text == {"en": "Feeling down"}


def test_a_foreign_import_exports_and_round_trips() -> None:
    definition = questionnaire_to_definition(foreign())
    assert questionnaire_to_definition(definition_to_questionnaire(definition)) == definition


def test_ordinal_values_score_options_whose_codes_are_not_numbers() -> None:
    resource = foreign()
    resource["item"] = [
        {
            "linkId": "q1",
            "type": "choice",
            "answerOption": [
                {
                    "extension": [{"url": ORDINAL_VALUE, "valueDecimal": 0}],
                    "valueCoding": {
                        "system": "http://loinc.org",
                        "code": "LA6568-5",
                        "display": "Not at all",
                    },
                },
                {
                    "valueCoding": {
                        "extension": [{"url": ORDINAL_VALUE, "valueDecimal": 3}],
                        "system": "http://loinc.org",
                        "code": "LA6571-9",
                        "display": "Nearly every day",
                    },
                },
            ],
        }
    ]
    scale = questionnaire_to_definition(resource).scales["q1"]
    assert [(o.value, o.label) for o in scale.options] == [
        (0, {"en": "Not at all"}),
        (3, {"en": "Nearly every day"}),
    ]


def test_integer_items_groups_and_translations_import() -> None:
    resource = {
        "resourceType": "Questionnaire",
        "url": "http://example.org/fhir/Questionnaire/Hours",
        "version": "1",
        "name": "WeeklyHours",
        "status": "active",
        "item": [
            {"linkId": "intro", "type": "display", "text": "Lue ohjeet"},
            {
                "linkId": "g",
                "type": "group",
                "item": [
                    {
                        "linkId": "h1",
                        "type": "integer",
                        "text": "Tunnit",
                        "_text": {
                            "extension": [
                                {
                                    "url": TRANSLATION,
                                    "extension": [
                                        {"url": "lang", "valueCode": "sv-FI"},
                                        {"url": "content", "valueString": "Timmar"},
                                    ],
                                },
                                {
                                    "url": TRANSLATION,
                                    "extension": [
                                        {"url": "lang", "valueCode": "de"},
                                        {"url": "content", "valueString": "Stunden"},
                                    ],
                                },
                            ]
                        },
                        "extension": [
                            {"url": MIN_VALUE, "valueInteger": 0},
                            {"url": MAX_VALUE, "valueInteger": 80},
                        ],
                    },
                    {
                        "linkId": "h2",
                        "type": "integer",
                        "extension": [
                            {"url": MIN_VALUE, "valueInteger": 0},
                            {"url": MAX_VALUE, "valueInteger": 80},
                        ],
                    },
                ],
            },
        ],
    }
    definition = questionnaire_to_definition(resource)
    assert definition.code == "hours"
    assert definition.title == {"fi": "WeeklyHours"}
    assert [item.code for item in definition.items] == ["h1", "h2"]
    assert definition.item("h1").text == {"fi": "Tunnit", "sv": "Timmar"}
    assert definition.item("h2").scale == "h1"
    assert (definition.scales["h1"].minimum, definition.scales["h1"].maximum) == (0, 80)
    assert not definition.scales["h1"].options


# Refusals -----------------------------------------------------------------------------


def test_a_wrong_resource_type_is_refused() -> None:
    assert "resourceType: is 'Patient', not 'Questionnaire'" in refused(
        {"resourceType": "Patient", "status": "active"}
    )
    assert "must be a JSON object" in refused(["Questionnaire"])


def test_an_invalid_fhir_resource_is_refused_naming_the_element() -> None:
    resource = foreign()
    del resource["status"]
    assert "Questionnaire.status" in refused(resource)
    resource = foreign()
    resource["colour"] = "blue"
    assert "Questionnaire.colour" in refused(resource)


def test_fhir_messages_stay_on_one_line() -> None:
    resource = foreign()
    resource["item"][0]["text"] = ""
    message = refused(resource)
    assert message.startswith("Questionnaire.item[0].text: ")
    assert "\n" not in message


def test_an_item_without_link_id_is_refused() -> None:
    resource = foreign()
    del resource["item"][1]["linkId"]
    assert "Questionnaire.item[1].linkId" in refused(resource)


def test_a_choice_item_without_answer_options_is_refused() -> None:
    resource = foreign()
    del resource["item"][2]["answerOption"]
    message = refused(resource)
    assert "Questionnaire.item[2] (linkId 'm3')" in message
    assert "needs answerOption" in message


def test_options_without_a_number_are_refused() -> None:
    resource = foreign()
    resource["item"][0]["answerOption"][1]["valueCoding"]["code"] = "sometimes"
    message = refused(resource)
    assert "answerOption[1].valueCoding" in message
    assert "'sometimes' is not an integer" in message


def test_an_integer_item_without_limits_is_refused() -> None:
    resource = foreign()
    resource["item"][0] = {"linkId": "n", "type": "integer"}
    assert "needs a minValue extension" in refused(resource)


def test_an_unscorable_item_type_is_refused() -> None:
    resource = foreign()
    resource["item"][0] = {"linkId": "free", "type": "string", "text": "Anything else?"}
    assert "type 'string' cannot be scored" in refused(resource)


def test_a_foreign_questionnaire_without_version_is_refused() -> None:
    resource = foreign()
    del resource["version"]
    assert "Questionnaire.version: is required" in refused(resource)


def test_a_refused_questionnaire_is_explained_in_the_active_language() -> None:
    resource = foreign()
    del resource["version"]

    with translation.override("sv"):
        message = refused(resource)

    assert message == (
        "Questionnaire.version: obligatoriskt fält saknas: varje mätare i Polku har en version"
    )


def test_an_invalid_link_id_is_refused_as_an_item_code() -> None:
    resource = foreign()
    resource["item"][1]["linkId"] = "Q 2"
    assert "items[1] (linkId 'Q 2').code: 'Q 2' is not a valid code" in refused(resource)


def test_an_unsupported_language_is_refused() -> None:
    resource = foreign()
    resource["language"] = "de"
    assert "Questionnaire.language: 'de' is not one of fi, sv, en" in refused(resource)


def polku_resource() -> dict[str, Any]:
    return definition_to_questionnaire(shipped("inclusion-indicator-1.0"))


def with_extension(value: str) -> dict[str, Any]:
    resource = polku_resource()
    resource["extension"] = [{"url": DEFINITION_EXTENSION, "valueString": value}]
    return resource


def test_an_extension_that_is_not_json_is_refused() -> None:
    message = refused(with_extension("{not json"))
    assert "extension[instrument-definition]: is not valid JSON" in message


def test_an_extension_that_is_not_an_object_is_refused() -> None:
    assert "must hold a JSON object" in refused(with_extension("[1, 2]"))


def test_an_extension_holding_an_invalid_definition_is_refused() -> None:
    data = json.loads(polku_resource()["extension"][0]["valueString"])
    data["respondent"] = "nobody"
    data["scoring"]["method"] = "median"
    del data["licence"]["source"]
    message = refused(with_extension(json.dumps(data)))
    assert "as a Polku definition, respondent: must be one of" in message
    assert "scoring.method: must be one of" in message
    assert "licence.source: is required" in message


def test_an_extension_of_the_wrong_shape_is_refused() -> None:
    data = json.loads(polku_resource()["extension"][0]["valueString"])
    data["subscales"] = [5]
    assert "as a Polku definition, subscales[0]: must be an object" in refused(
        with_extension(json.dumps(data))
    )


def test_an_extension_repeating_fhir_elements_is_refused() -> None:
    data = json.loads(polku_resource()["extension"][0]["valueString"])
    data["title"] = {"fi": "Toinen"}
    assert "holds 'title'" in refused(with_extension(json.dumps(data)))


def test_an_extension_naming_an_unknown_scale_is_refused() -> None:
    data = json.loads(polku_resource()["extension"][0]["valueString"])
    data["items"]["o3"]["scale"] = "nope"
    assert "items[2] (linkId 'o3').scale: unknown scale 'nope'" in refused(
        with_extension(json.dumps(data))
    )


def test_items_must_match_the_extension() -> None:
    resource = polku_resource()
    extra = copy.deepcopy(resource["item"][0])
    extra["linkId"] = "o11"
    resource["item"].append(extra)
    del resource["item"][0]
    message = refused(resource)
    assert "(linkId 'o11'): is not described in the instrument-definition extension" in message
    assert "describes item 'o1', which the Questionnaire lacks" in message


def test_an_edited_answer_option_is_refused_not_lost() -> None:
    resource = polku_resource()
    resource["item"][4]["answerOption"][0]["valueCoding"]["display"] = "Ihan eri mieltä"
    assert "(linkId 'o5'): answerOption does not match scale 'agree'" in refused(resource)


def test_an_edited_item_type_or_limits_are_refused() -> None:
    resource = definition_to_questionnaire(shipped("work-ability-index-1.2"))
    resource["item"][0]["extension"][1]["valueInteger"] = 12
    resource["item"][7]["type"] = "integer"
    message = refused(resource)
    assert "(linkId 'wai1'): minValue/maxValue do not match scale 'wai1'" in message
    assert "(linkId 'wai6'): type must be 'choice'" in message


def test_the_weighting_of_work_ability_index_item_2_survives_the_round_trip() -> None:
    definition = shipped("work-ability-index-1.2")
    resource = definition_to_questionnaire(definition)

    extension = json.loads(resource["extension"][0]["valueString"])
    assert extension["items"]["wai2_work"] == {"scale": "work_nature", "scored": False}
    assert extension["scoring"]["weighted_by"] == {
        "item": "wai2_work",
        "weights": {
            "1": {"wai2_physical": 1.5, "wai2_mental": 0.5},
            "2": {"wai2_physical": 0.5, "wai2_mental": 1.5},
        },
    }
    Questionnaire.model_validate(resource)
    assert questionnaire_to_definition(resource) == definition


def test_item_texts_the_licence_forbids_are_refused() -> None:
    resource = polku_resource()
    resource["item"][0]["text"] = "Koen kuuluvani yhteisöön"
    assert "the licence does not allow shipping item texts" in refused(resource)


def test_a_file_from_an_installation_with_another_base_imports_the_same(settings) -> None:
    definition = shipped("work-ability-index-1.2")
    settings.POLKU_FHIR_BASE_URL = "https://another-polku.example/fhir"
    resource = definition_to_questionnaire(definition)
    settings.POLKU_FHIR_BASE_URL = "https://polku.invalid/fhir"

    assert resource["url"].startswith("https://another-polku.example/fhir/Questionnaire/")
    assert questionnaire_to_definition(resource) == definition
