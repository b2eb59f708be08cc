"""Instrument definitions as FHIR R4 Questionnaires, both ways.

``definition_to_questionnaire`` exports a ``Definition`` as a FHIR R4 Questionnaire (a
JSON-able dict); ``questionnaire_to_definition`` imports one, validating it first with
``fhir.resources``' R4B model and finally with ``parse_definition``, so that the rules of a
valid definition are written once. Every problem is reported as a ``DefinitionError``.

What FHIR has an element for is written there:

* ``identifier`` (system ``IDENTIFIER_SYSTEM``) holds the instrument code, which is also
  the last segment of ``url``; ``name`` is the code in FHIR's ``[A-Z][A-Za-z0-9_]*`` form.
* ``version``, ``status: active``, ``language: fi``.
* ``title``, ``description``, item ``text`` and answer ``display`` hold the Finnish text;
  the other languages are in the standard ``translation`` extension on ``_title``,
  ``_description``, ``_text`` and ``_display``. A text that has no Finnish is written in
  its first language, marked with the standard ``language`` extension on the same ``_x``.
* ``copyright`` is the licence name and source, for people to read.
* one ``item`` per instrument item, in order: ``linkId`` is the item code, ``required`` is
  always written (FHIR's default is false, Polku's true). A scale with options gives
  ``type: choice`` with one ``answerOption.valueCoding`` per option (``system`` is the
  scale's Polku CodeSystem, ``code_system_url``: ``<base>/CodeSystem/<instrument>-<scale>``,
  ``version`` the instrument's version, ``code`` the value as a string, ``display`` the
  label) and the value repeated in the standard
  ``ordinalValue`` extension, except for missing values (they score nothing). A scale
  without options gives ``type: integer`` with the standard ``minValue``/``maxValue``
  extensions. An item without wording (a licensed template) has no ``text``.

Everything else is one Polku extension on the Questionnaire, ``DEFINITION_EXTENSION``,
whose ``valueString`` is compact JSON in the definition file format (the format
``parse_definition`` reads) holding the parts FHIR has no element for: ``respondent``,
``level``, ``licence`` (all of it, including ``item_texts_included`` and ``url``),
``scales`` (all of them, labels included, since scales are shared between items and may
go unused, and their ``min``/``max``/``missing_values`` need not follow from the options),
``subscales``, ``scoring``, ``bands``, ``reliability``, ``reference_sd``, ``reliability_source``,
``higher_is_better``, and ``items`` as an object keyed by item code holding what FHIR
cannot say per item: ``scale``, ``reverse`` (only when true), ``plain_text`` (only when
given) and ``scored`` (only when false). ``scoring`` includes its ``weighted_by``. Item
order, texts and ``required`` come from the FHIR items. On import, the FHIR items must
match the extension: the same item codes, and for each item the type, answer
options (values and labels) or min/max its scale implies, so that an edit made in a FHIR
tool is refused rather than silently lost.

A Questionnaire without the Polku extension is imported as well when it can be: groups
are flattened and display items skipped; a ``choice`` item becomes an ordinal scale whose
option values are the ``ordinalValue`` extensions (on the answer option or its coding) or
else the integer codes; an ``integer`` item with ``minValue``/``maxValue`` becomes a
numeric scale; items with identical options or limits share a scale named after the
first of them. The respondent is ``client``, the level ``individual``, the scoring
``sum``; the licence name is ``copyright`` and its source ``publisher`` (or ``url``), and
item texts count as included when the Questionnaire carries them. The code is taken from
the Polku identifier, ``id``, ``url`` or ``name``, in that order, and ``version`` is
required. Texts are in the resource's ``language`` (Finnish when it has none); translations
into languages Polku does not support are dropped. Anything else is a ``DefinitionError``,
whose problems are in the active language except for the FHIR paths and the messages of
``fhir.resources`` (pydantic), which are library text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import pydantic
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from fhir.resources.R4B.questionnaire import Questionnaire

from polku.core import languages
from polku.measures.definitions import (
    CODE,
    Definition,
    DefinitionError,
    Licence,
    Scale,
    Text,
    note_text,
    parse_definition,
    weighting_data,
)
from polku.measures.texts import localized

# Polku's own formats (the instrument-definition extension and the instrument-code naming
# system) have one fixed namespace, the same in every installation, so that a file
# exported by one Polku imports into another. An installation's own resources (its
# Questionnaires and the CodeSystems of their scales) live under its canonical base,
# ``POLKU_FHIR_BASE_URL``, which need not resolve but must stay the same while exported
# resources are in use.
POLKU_NAMESPACE = "https://polku.invalid/fhir"
IDENTIFIER_SYSTEM = f"{POLKU_NAMESPACE}/NamingSystem/instrument-code"
DEFINITION_EXTENSION = f"{POLKU_NAMESPACE}/StructureDefinition/instrument-definition"


def canonical_base() -> str:
    return str(settings.POLKU_FHIR_BASE_URL).rstrip("/")


TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
LANGUAGE = "http://hl7.org/fhir/StructureDefinition/language"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"

PRIMARY_LANGUAGE = "fi"

# Top-level fields the FHIR elements hold; the extension may not repeat them.
_FHIR_FIELDS = ("code", "version", "title", "description")
_EXTENSION_ITEM_FIELDS = ("scale", "reverse", "plain_text", "scored")
_INTEGER = re.compile(r"^[+-]?\d+$")
_ESCAPES = {ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"}  # in pydantic's messages


# Export -------------------------------------------------------------------------------


def definition_to_questionnaire(definition: Definition) -> dict[str, Any]:
    """The definition as a FHIR R4 Questionnaire resource (a JSON-able dict)."""
    resource: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "language": PRIMARY_LANGUAGE,
        "extension": [
            {
                "url": DEFINITION_EXTENSION,
                "valueString": _canonical_json(_extension_data(definition)),
            }
        ],
        "url": f"{canonical_base()}/Questionnaire/{definition.code}",
        "identifier": [{"system": IDENTIFIER_SYSTEM, "value": definition.code}],
    }
    if definition.version:  # FHIR strings may not be empty; parse_definition allows ""
        resource["version"] = definition.version
    resource["name"] = fhir_name(definition.code)
    _put_text(resource, "title", definition.title)
    resource["status"] = "active"
    _put_text(resource, "description", definition.description)
    if copyright_ := _copyright(definition.licence):
        resource["copyright"] = copyright_
    resource["item"] = [
        _export_item(
            item.code,
            item.text,
            item.required,
            definition.scales[item.scale],
            system=code_system_url(definition.code, item.scale),
            version=definition.version,
        )
        for item in definition.items
    ]
    return resource


def code_system_url(instrument_code: str, scale_code: str) -> str:
    """The Polku CodeSystem of one instrument's scale: its answer options' codes are the
    option values (``<base>/CodeSystem/work-ability-index-wai6``)."""
    base = canonical_base()
    return f"{base}/CodeSystem/{quote(instrument_code, safe='')}-{quote(scale_code, safe='')}"


def fhir_name(code: str) -> str:
    """The code as a FHIR computable name (``work-ability-index`` → ``WorkAbilityIndex``)."""
    name = "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", code))
    return name if name[:1].isalpha() else f"Instrument{name}"


def _canonical_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _extension_data(definition: Definition) -> dict[str, Any]:
    licence: dict[str, Any] = {
        "name": note_text(definition.licence.name),
        "source": note_text(definition.licence.source),
        "item_texts_included": definition.licence.item_texts_included,
    }
    if definition.licence.url:
        licence["url"] = definition.licence.url
    items: dict[str, Any] = {}
    for item in definition.items:
        entry: dict[str, Any] = {"scale": item.scale}
        if item.reverse:
            entry["reverse"] = True
        if item.plain_text:
            entry["plain_text"] = dict(item.plain_text)
        if not item.scored:
            entry["scored"] = False
        items[item.code] = entry
    data: dict[str, Any] = {
        "respondent": definition.respondent,
        "level": definition.level,
        "licence": licence,
        "scales": {code: _scale_data(scale) for code, scale in definition.scales.items()},
        "items": items,
    }
    if definition.subscales:
        data["subscales"] = [
            {"code": sub.code, "title": dict(sub.title), "items": list(sub.items)}
            for sub in definition.subscales
        ]
    scoring: dict[str, Any] = {
        "method": definition.scoring.method,
        "max_missing_share": definition.scoring.max_missing_share,
    }
    if definition.scoring.rescale_to is not None:
        scoring["rescale_to"] = list(definition.scoring.rescale_to)
    if definition.scoring.weighted_by is not None:
        scoring["weighted_by"] = weighting_data(definition.scoring.weighted_by)
    data["scoring"] = scoring
    if definition.bands:
        data["bands"] = [
            {"code": band.code, "min": band.minimum, "max": band.maximum, "label": dict(band.label)}
            for band in definition.bands
        ]
    if definition.reliability is not None:
        data["reliability"] = definition.reliability
    if definition.reference_sd is not None:
        data["reference_sd"] = definition.reference_sd
    if definition.reliability_source:
        data["reliability_source"] = note_text(definition.reliability_source)
    data["higher_is_better"] = definition.higher_is_better
    return data


def _scale_data(scale: Scale) -> dict[str, Any]:
    data: dict[str, Any] = {"min": scale.minimum, "max": scale.maximum}
    if scale.options:
        data["options"] = [
            {"value": option.value, "label": dict(option.label)} for option in scale.options
        ]
    if scale.missing_values:
        data["missing_values"] = list(scale.missing_values)
    return data


def _copyright(licence: Licence) -> str:
    # FHIR's copyright is one string: the notes in the default language.
    default = languages.default()
    parts = [
        part
        for part in (localized(licence.name, default), localized(licence.source, default))
        if part
    ]
    text = " — ".join(parts)
    return f"{text} ({licence.url})" if licence.url else text


def _export_item(
    code: str, text: Text, required: bool, scale: Scale, *, system: str, version: str
) -> dict[str, Any]:
    element: dict[str, Any] = {}
    if not scale.options:
        element["extension"] = [
            {"url": MIN_VALUE, "valueInteger": scale.minimum},
            {"url": MAX_VALUE, "valueInteger": scale.maximum},
        ]
    element["linkId"] = code
    _put_text(element, "text", text)
    element["type"] = "choice" if scale.options else "integer"
    element["required"] = required
    if scale.options:
        answers = []
        for option in scale.options:
            answer: dict[str, Any] = {}
            if option.value not in scale.missing_values:
                answer["extension"] = [{"url": ORDINAL_VALUE, "valueDecimal": option.value}]
            coding: dict[str, Any] = {"system": system}
            if version:
                coding["version"] = version
            coding["code"] = str(option.value)
            _put_text(coding, "display", option.label)
            answer["valueCoding"] = coding
            answers.append(answer)
        element["answerOption"] = answers
    return element


def _put_text(element: dict[str, Any], key: str, text: Text) -> None:
    """Write a multilingual text as ``key`` plus translations on ``_key``."""
    if not text:
        return
    base = PRIMARY_LANGUAGE if PRIMARY_LANGUAGE in text else next(iter(text))
    element[key] = text[base]
    extensions: list[dict[str, Any]] = []
    if base != PRIMARY_LANGUAGE:
        extensions.append({"url": LANGUAGE, "valueCode": base})
    for language, content in text.items():
        if language != base:
            extensions.append(
                {
                    "url": TRANSLATION,
                    "extension": [
                        {"url": "lang", "valueCode": language},
                        {"url": "content", "valueString": content},
                    ],
                }
            )
    if extensions:
        element[f"_{key}"] = {"extension": extensions}


# Import -------------------------------------------------------------------------------


def questionnaire_to_definition(resource: Mapping[str, Any]) -> Definition:
    """Build a definition from a FHIR R4 Questionnaire; raise ``DefinitionError`` if unfit."""
    data = _validated(resource)
    reader = _Reader(data)
    questions = reader.questions(data.get("item", []), "Questionnaire.item")
    extension = reader.definition_extension(data)
    reader.raise_problems()  # past an unreadable extension, every item would be a problem
    if extension is None:
        polku_data = reader.foreign(data, questions)
    else:
        polku_data = reader.polku(data, questions, extension)
    reader.raise_problems()
    link_ids = [element["linkId"] for _, element in questions]
    try:
        definition = parse_definition(polku_data)
    except DefinitionError as error:
        raise DefinitionError(
            [
                _("as a Polku definition, %(problem)s") % {"problem": _name_item(p, link_ids)}
                for p in error.problems
            ]
        ) from None
    except (TypeError, AttributeError) as error:  # parse_definition trips on some wrong shapes
        raise DefinitionError(
            [_("as a Polku definition, malformed data (%(error)s)") % {"error": error}]
        ) from None
    if extension is not None:
        reader.check_against(definition, questions)
        reader.raise_problems()
    return definition


def _validated(resource: Any) -> dict[str, Any]:
    """The resource checked by fhir.resources, as normalised FHIR JSON."""
    if not isinstance(resource, Mapping):
        raise DefinitionError([_("the resource must be a JSON object")])
    kind = resource.get("resourceType")
    if kind != "Questionnaire":
        message = _("is %(kind)s, not 'Questionnaire'") % {"kind": repr(kind)}
        raise DefinitionError([f"resourceType: {message}"])
    try:
        model = Questionnaire.model_validate(dict(resource))
    except pydantic.ValidationError as error:
        raise DefinitionError(
            [
                f"{_fhir_path(problem['loc'])}: {problem['msg'].translate(_ESCAPES)}"
                for problem in error.errors(include_url=False)
            ]
        ) from None
    except (TypeError, ValueError) as error:  # fhir.resources' own checks
        message = _("not a valid FHIR R4 Questionnaire (%(error)s)") % {"error": error}
        raise DefinitionError([f"Questionnaire: {message}"]) from None
    dumped: dict[str, Any] = model.model_dump(mode="json", by_alias=True, exclude_none=True)
    return dumped


def _fhir_path(location: tuple[int | str, ...]) -> str:
    path = "Questionnaire"
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _name_item(problem: str, link_ids: list[str]) -> str:
    """Let ``items[3]`` in a problem also name the item's linkId."""
    match = re.match(r"items\[(\d+)\]", problem)
    if match and int(match.group(1)) < len(link_ids):
        link_id = link_ids[int(match.group(1))]
        return f"{match.group(0)} (linkId {link_id!r}){problem[match.end() :]}"
    return problem


def _language(tag: Any) -> str | None:
    """The Polku language of a BCP 47 tag (``sv-FI`` → ``sv``), or None if unsupported."""
    if not isinstance(tag, str):
        return None
    language = tag.split("-")[0].lower()
    return language if language in languages.codes() else None


def _extensions(element: Mapping[str, Any], url: str) -> list[dict[str, Any]]:
    return [ext for ext in element.get("extension", []) if ext.get("url") == url]


class _Reader:
    """Reads a validated Questionnaire, collecting every problem before failing."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.problems: list[str] = []
        tag = data.get("language", PRIMARY_LANGUAGE)
        language = _language(tag)
        if language is None:
            self.fail(
                "Questionnaire.language",
                _("%(tag)s is not one of %(choices)s")
                % {"tag": repr(tag), "choices": ", ".join(languages.codes())},
            )
        self.language = language or PRIMARY_LANGUAGE

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def raise_problems(self) -> None:
        if self.problems:
            raise DefinitionError(self.problems)

    # Shared parts

    def questions(
        self, items: list[dict[str, Any]], where: str
    ) -> list[tuple[str, dict[str, Any]]]:
        """The question items in order, with their paths: groups flattened, displays skipped."""
        found: list[tuple[str, dict[str, Any]]] = []
        for index, element in enumerate(items):
            path = f"{where}[{index}]"
            if element.get("type") == "group":
                found.extend(self.questions(element.get("item", []), f"{path}.item"))
            elif element.get("type") != "display":
                if element.get("item"):
                    self.fail(
                        self.item_where(path, element),
                        _("items nested under a question are not supported"),
                    )
                if element.get("repeats"):
                    self.fail(
                        self.item_where(path, element), _("repeating items are not supported")
                    )
                found.append((path, element))
        return found

    @staticmethod
    def item_where(path: str, element: Mapping[str, Any]) -> str:
        return f"{path} (linkId {element.get('linkId')!r})"

    def definition_extension(self, data: Mapping[str, Any]) -> dict[str, Any] | None:
        """The Polku extension's definition data, or None if the resource has none."""
        found = _extensions(data, DEFINITION_EXTENSION)
        if not found:
            return None
        where = "Questionnaire.extension[instrument-definition]"
        if len(found) > 1:
            self.fail(where, _("appears more than once"))
        value = found[0].get("valueString")
        if not isinstance(value, str):
            self.fail(where, _("needs a valueString holding the definition JSON"))
            return {}
        try:
            parsed = json.loads(value)
        except ValueError as error:
            self.fail(where, _("is not valid JSON (%(error)s)") % {"error": error})
            return {}
        if not isinstance(parsed, dict):
            self.fail(where, _("must hold a JSON object"))
            return {}
        for key in _FHIR_FIELDS:
            if key in parsed:
                self.fail(
                    where,
                    _("holds %(key)s, which belongs in the Questionnaire's own element")
                    % {"key": repr(key)},
                )
        return parsed

    def text(self, element: Mapping[str, Any], key: str, where: str) -> dict[str, str]:
        """A multilingual text from ``key`` and the translations on ``_key``."""
        base_language = self.language
        translations: dict[str, str] = {}
        extensions = element.get(f"_{key}", {}).get("extension", [])
        for extension in extensions:
            if extension.get("url") == LANGUAGE:
                language = _language(extension.get("valueCode"))
                if language is None:
                    code = extension.get("valueCode")
                    self.fail(
                        f"{where}.{key}",
                        _("language %(code)s is not one of %(choices)s")
                        % {"code": repr(code), "choices": ", ".join(languages.codes())},
                    )
                else:
                    base_language = language
            elif extension.get("url") == TRANSLATION:
                parts = {part.get("url"): part for part in extension.get("extension", [])}
                tag = parts.get("lang", {}).get("valueCode")
                content = parts.get("content", {})
                content = content.get("valueString", content.get("valueMarkdown"))
                if not isinstance(tag, str) or not isinstance(content, str):
                    self.fail(f"{where}._{key}", _("a translation needs lang and content"))
                elif (language := _language(tag)) is not None:
                    translations[language] = content
        text: dict[str, str] = {}
        if isinstance(element.get(key), str):
            text[base_language] = element[key]
        for language, content in translations.items():
            text.setdefault(language, content)
        return text

    def code(self, data: Mapping[str, Any]) -> str:
        for identifier in data.get("identifier", []):
            if identifier.get("system") == IDENTIFIER_SYSTEM and "value" in identifier:
                return str(identifier["value"])
        url = str(data.get("url", "")).split("|")[0].rstrip("/")
        name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", str(data.get("name", "")))
        for candidate in (data.get("id", ""), url.rsplit("/", 1)[-1], name):
            code = re.sub(r"[^a-z0-9_.-]+", "-", str(candidate).lower()).lstrip("-_.")[:64]
            if CODE.match(code):
                return code
        self.fail(
            "Questionnaire",
            _("has no identifier, id, url or name to take the instrument code from"),
        )
        return ""

    def common(self, data: Mapping[str, Any], polku: bool) -> dict[str, Any]:
        """The parts read from FHIR elements alike for Polku and foreign resources."""
        common: dict[str, Any] = {"code": self.code(data)}
        if "version" in data:
            common["version"] = data["version"]
        elif polku:
            common["version"] = ""  # exported without one, as FHIR strings may not be empty
        else:
            self.fail(
                "Questionnaire.version", _("is required: every instrument in Polku has a version")
            )
        title = self.text(data, "title", "Questionnaire")
        if not title and isinstance(data.get("name"), str):
            title = {self.language: data["name"]}
        if not title:
            self.fail("Questionnaire.title", _("is required (or a name)"))
        common["title"] = title
        description = self.text(data, "description", "Questionnaire")
        if description:
            common["description"] = description
        return common

    def options(self, element: Mapping[str, Any], where: str) -> list[dict[str, Any]] | None:
        """A choice item's answer options as definition options, or None if unreadable."""
        answers = element.get("answerOption", [])
        if not answers:
            self.fail(
                where, _("a choice item needs answerOption (answerValueSet is not supported)")
            )
            return None
        options: list[dict[str, Any]] = []
        for index, answer in enumerate(answers):
            at = f"{where}.answerOption[{index}]"
            coding = answer.get("valueCoding")
            if coding is None:
                if isinstance(answer.get("valueInteger"), int):
                    value = answer["valueInteger"]
                    options.append({"value": value, "label": {self.language: str(value)}})
                else:
                    self.fail(at, _("needs a valueCoding (or a valueInteger)"))
                continue
            value = self.ordinal(answer, at)
            if value is None:
                value = self.ordinal(coding, f"{at}.valueCoding")
            code = coding.get("code")
            if value is None:
                if isinstance(code, str) and _INTEGER.match(code.strip()):
                    value = int(code)
                else:
                    self.fail(
                        f"{at}.valueCoding",
                        _("code %(code)s is not an integer and there is no ordinalValue extension")
                        % {"code": repr(code)},
                    )
                    continue
            if any(option["value"] == value for option in options):
                self.fail(at, _("the value %(value)s appears twice") % {"value": value})
                continue
            label = self.text(coding, "display", f"{at}.valueCoding") or {
                self.language: code if isinstance(code, str) and code.strip() else str(value)
            }
            options.append({"value": value, "label": label})
        return options

    def ordinal(self, element: Mapping[str, Any], where: str) -> int | None:
        found = _extensions(element, ORDINAL_VALUE)
        if not found:
            return None
        value = found[0].get("valueDecimal")
        if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
            self.fail(
                f"{where}.extension[ordinalValue]",
                _("%(value)s is not a whole number") % {"value": repr(value)},
            )
            return None
        return int(value)

    def limits(self, element: Mapping[str, Any], where: str) -> tuple[int, int] | None:
        """An integer item's minValue and maxValue, or None if either is missing."""
        values = []
        for url, name in ((MIN_VALUE, "minValue"), (MAX_VALUE, "maxValue")):
            found = _extensions(element, url)
            value = found[0].get("valueInteger") if found else None
            if not isinstance(value, int) or isinstance(value, bool):
                self.fail(
                    where,
                    _("an integer item needs a %(name)s extension with valueInteger")
                    % {"name": name},
                )
                return None
            values.append(value)
        return values[0], values[1]

    # Polku's own resources

    def polku(
        self,
        data: Mapping[str, Any],
        questions: list[tuple[str, dict[str, Any]]],
        extension: dict[str, Any],
    ) -> dict[str, Any]:
        where = "Questionnaire.extension[instrument-definition]"
        described = extension.pop("items", {})
        if not isinstance(described, dict):
            self.fail(f"{where}.items", _("must be an object keyed by item code"))
            described = {}
        items = []
        for path, element in questions:
            link_id = element["linkId"]
            entry = described.get(link_id)
            if not isinstance(entry, dict):
                self.fail(
                    self.item_where(path, element),
                    _("is not described in the instrument-definition extension")
                    if entry is None
                    else _("its entry in the instrument-definition extension must be an object"),
                )
                entry = {}
            unknown = sorted(set(entry) - set(_EXTENSION_ITEM_FIELDS))
            if unknown:
                message = ngettext(
                    "unknown field %(fields)s (the fields are %(choices)s)",
                    "unknown fields %(fields)s (the fields are %(choices)s)",
                    len(unknown),
                )
                self.fail(
                    f"{where}.items.{link_id}",
                    message
                    % {
                        "fields": ", ".join(map(repr, unknown)),
                        "choices": ", ".join(_EXTENSION_ITEM_FIELDS),
                    },
                )
            item: dict[str, Any] = {"code": link_id, **entry}
            text = self.text(element, "text", path)
            if text:
                item["text"] = text
            item["required"] = element.get("required", False)
            items.append(item)
        link_ids = {element["linkId"] for _, element in questions}
        for code in described:
            if code not in link_ids:
                self.fail(
                    f"{where}.items",
                    _("describes item %(code)s, which the Questionnaire lacks")
                    % {"code": repr(code)},
                )
        return {**self.common(data, polku=True), **extension, "items": items}

    def check_against(
        self, definition: Definition, questions: list[tuple[str, dict[str, Any]]]
    ) -> None:
        """Refuse FHIR items that no longer say what their scales in the extension say."""
        for (path, element), item in zip(questions, definition.items, strict=True):
            where = self.item_where(path, element)
            scale = definition.scales[item.scale]
            expected = "choice" if scale.options else "integer"
            if element.get("type") != expected:
                self.fail(
                    where,
                    _("type must be %(type)s for scale %(scale)s")
                    % {"type": repr(expected), "scale": repr(scale.code)},
                )
            elif scale.options:
                options = self.options(element, where)
                wanted = [{"value": o.value, "label": dict(o.label)} for o in scale.options]
                if options is not None and options != wanted:
                    self.fail(
                        where,
                        _("answerOption does not match scale %(scale)s")
                        % {"scale": repr(scale.code)},
                    )
            else:
                limits = self.limits(element, where)
                if limits is not None and limits != (scale.minimum, scale.maximum):
                    self.fail(
                        where,
                        _("minValue/maxValue do not match scale %(scale)s")
                        % {"scale": repr(scale.code)},
                    )

    # Questionnaires from elsewhere

    def foreign(
        self, data: Mapping[str, Any], questions: list[tuple[str, dict[str, Any]]]
    ) -> dict[str, Any]:
        scales: dict[str, dict[str, Any]] = {}
        scale_of: dict[str, str] = {}  # canonical JSON of a scale → its code
        items = []
        for path, element in questions:
            where = self.item_where(path, element)
            link_id = element["linkId"]
            kind = element.get("type")
            scale: dict[str, Any] | None = None
            if kind == "choice":
                options = self.options(element, where)
                if options is not None:
                    scale = {"options": options}
            elif kind == "integer":
                limits = self.limits(element, where)
                if limits is not None:
                    scale = {"min": limits[0], "max": limits[1]}
            else:
                self.fail(
                    where,
                    _("type %(type)s cannot be scored; Polku imports choice and integer items")
                    % {"type": repr(kind)},
                )
            if scale is None:
                continue
            key = json.dumps(scale, sort_keys=True)
            if key not in scale_of:
                scale_of[key] = link_id
                scales[link_id] = scale
            item: dict[str, Any] = {"code": link_id, "scale": scale_of[key]}
            text = self.text(element, "text", path)
            if text:
                item["text"] = text
            item["required"] = element.get("required", False)
            items.append(item)
        copyright_ = data.get("copyright", "")
        return {
            **self.common(data, polku=False),
            "respondent": "client",
            "level": "individual",
            "licence": {
                "name": copyright_,
                "source": data.get("publisher") or str(data.get("url", "")).split("|")[0],
                "item_texts_included": any("text" in item for item in items),
            },
            "scales": scales,
            "items": items,
            "scoring": {"method": "sum"},
        }
