"""Instrument definitions: declarative, versioned, validated.

An instrument is defined by one JSON file (``measures/instruments/<code>-<version>.json``)
or an imported FHIR Questionnaire. ``parse_definition`` turns the data into an immutable
``Definition`` or raises ``DefinitionError`` naming every problem with its place in the
file (``items[2].scale``), so that a malformed definition is refused whole and changes
nothing. Item texts are optional: a licensed instrument ships as a template (structure,
scales, scoring, bands) and its wording is entered from the licensed source.

Problems are written in the active language (the administrator's, when a file is imported
through the user interface); the places in the file are not translated.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from polku.core import languages
from polku.measures.texts import localized

CODE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
# A stored version is part of the instrument's addresses: no "/", at most 32 characters.
VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.+-]{0,31}$")
RESPONDENTS = ("client", "professional", "employer", "external")
LEVELS = ("individual", "group")
METHODS = ("sum", "mean", "rescaled", "none")

Text = Mapping[str, str]
# A note (the licence's name and source, the source of the reliability) is a text in each
# language, or one string for every language: such a string is kept under this key.
EVERY_LANGUAGE = ""


class DefinitionError(ValueError):
    """The definition is malformed; ``problems`` names each problem and where it is."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Option:
    value: int
    label: Text


@dataclass(frozen=True)
class Scale:
    code: str
    minimum: int
    maximum: int
    options: tuple[Option, ...] = ()
    # Values outside the score (e.g. ICF qualifier 8 "not specified"): count as missing.
    missing_values: tuple[int, ...] = ()

    @cached_property
    def option_values(self) -> frozenset[int]:
        return frozenset(option.value for option in self.options)

    def allows(self, value: int) -> bool:
        if value in self.missing_values:
            return True
        if self.options:
            return value in self.option_values
        return self.minimum <= value <= self.maximum


@dataclass(frozen=True)
class Item:
    code: str
    scale: str
    text: Text = field(default_factory=dict)
    plain_text: Text = field(default_factory=dict)
    reverse: bool = False
    required: bool = True
    # False for a question that is answered but not counted in any score: it chooses the
    # weights of other items (the nature of work in the Work Ability Index).
    scored: bool = True


@dataclass(frozen=True)
class Subscale:
    code: str
    title: Text
    items: tuple[str, ...]


@dataclass(frozen=True)
class Band:
    code: str
    minimum: float
    maximum: float
    label: Text

    def contains(self, score: float) -> bool:
        return self.minimum <= score <= self.maximum


@dataclass(frozen=True)
class Weighting:
    """Item weights chosen by the answer to one unscored item: ``weights`` maps an option
    value of ``item`` to {scored item code: weight}. Items it does not name, and every item
    when the answer is not in ``weights`` (or not given), count with weight 1."""

    item: str
    weights: Mapping[int, Mapping[str, float]]

    def for_answer(self, answer: int | None) -> Mapping[str, float]:
        return self.weights.get(answer, {}) if answer is not None else {}


@dataclass(frozen=True)
class Scoring:
    method: str
    # Prorate when at most this share of the scored items is missing; otherwise no score.
    max_missing_share: float = 0.0
    rescale_to: tuple[float, float] | None = None
    weighted_by: Weighting | None = None


def note_text(note: Text) -> str | dict[str, str]:
    """A note as the definition file writes it: one string, or a text per language."""
    if not note:
        return ""
    if set(note) == {EVERY_LANGUAGE}:
        return note[EVERY_LANGUAGE]
    return dict(note)


@dataclass(frozen=True)
class Licence:
    name: Text
    source: Text
    item_texts_included: bool
    url: str = ""

    @property
    def localized_name(self) -> str:
        return localized(self.name)

    @property
    def localized_source(self) -> str:
        return localized(self.source)


@dataclass(frozen=True)
class Definition:
    code: str
    version: str
    title: Text
    respondent: str
    level: str
    licence: Licence
    scales: Mapping[str, Scale]
    items: tuple[Item, ...]
    scoring: Scoring
    description: Text = field(default_factory=dict)
    subscales: tuple[Subscale, ...] = ()
    bands: tuple[Band, ...] = ()
    reliability: float | None = None
    reference_sd: float | None = None
    # Where the reliability and the reference SD come from (author, year, population).
    reliability_source: Text = field(default_factory=dict)
    higher_is_better: bool = True

    @property
    def localized_reliability_source(self) -> str:
        return localized(self.reliability_source)

    def without_notes(self) -> Definition:
        """The definition without its notes: two versions that differ only in these mean
        the same to every answer and score."""
        return replace(
            self,
            licence=replace(self.licence, name={}, source={}),
            reliability_source={},
        )

    @cached_property
    def item_codes(self) -> frozenset[str]:
        return frozenset(item.code for item in self.items)

    @cached_property
    def scored_items(self) -> tuple[Item, ...]:
        """The items counted in the scores, in order."""
        return tuple(item for item in self.items if item.scored)

    def item(self, code: str) -> Item:
        return next(item for item in self.items if item.code == code)

    def band_for(self, score: float | None) -> Band | None:
        if score is None:
            return None
        return next((band for band in self.bands if band.contains(score)), None)

    @property
    def has_item_texts(self) -> bool:
        return all(item.text for item in self.items)


def _must_be(kind: type | tuple[type, ...]) -> str:
    """The problem when a value is not of ``kind``, in the file's (JSON's) terms."""
    if kind is dict:
        return _("must be an object")
    if kind is list:
        return _("must be a list")
    if kind is str:
        return _("must be text")
    if kind is bool:
        return _("must be true or false")
    if kind is int:
        return _("must be a whole number")
    if kind == (int, float):
        return _("must be a number")
    return _("has the wrong type")


def _one_of(choices: tuple[str, ...]) -> str:
    return _("must be one of %(choices)s") % {"choices": ", ".join(choices)}


class _Reader:
    """Collects problems while reading, so that every one is reported at once."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def get(
        self,
        data: Mapping[str, Any],
        key: str,
        kind: type | tuple[type, ...],
        where: str,
        default: Any = ...,
    ) -> Any:
        if key not in data:
            if default is ...:
                self.fail(f"{where}.{key}" if where else key, _("is required"))
                return None
            return default
        value = data[key]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            self.fail(f"{where}.{key}" if where else key, _must_be(kind))
            return None
        return value

    def text(self, data: Mapping[str, Any], key: str, where: str, required: bool = True) -> Text:
        value = self.get(data, key, dict, where, default=... if required else {})
        if not value:
            if required and value is not None:
                self.fail(f"{where}.{key}".lstrip("."), _("needs a text in at least one language"))
            return {}
        unknown = [lang for lang in value if lang not in languages.codes()]
        if unknown:
            message = ngettext(
                "unknown language %(languages)s (the languages are %(choices)s)",
                "unknown languages %(languages)s (the languages are %(choices)s)",
                len(unknown),
            )
            self.fail(
                f"{where}.{key}".lstrip("."),
                message
                % {
                    "languages": ", ".join(map(repr, unknown)),
                    "choices": ", ".join(languages.codes()),
                },
            )
        if any(not isinstance(text, str) or not text.strip() for text in value.values()):
            self.fail(f"{where}.{key}".lstrip("."), _("each language's text must be non-empty"))
        return dict(value)

    def note(self, data: Mapping[str, Any], key: str, where: str, required: bool) -> Text:
        """A note: one string for every language, or a text per language."""
        if key not in data:
            if required:
                self.fail(f"{where}.{key}".lstrip("."), _("is required"))
            return {}
        value = data[key]
        if isinstance(value, str):
            return {EVERY_LANGUAGE: value} if value else {}
        return self.text(data, key, where, required=required)

    def code(self, data: Mapping[str, Any], where: str) -> str:
        code = self.get(data, "code", str, where)
        if code is not None and not CODE.match(code):
            self.fail(
                f"{where}.code".lstrip("."),
                _("%(code)s is not a valid code") % {"code": repr(code)},
            )
        return code or ""


def parse_definition(data: Any) -> Definition:
    """Validate a definition's data and build it; raise ``DefinitionError`` if malformed."""
    if not isinstance(data, Mapping):
        raise DefinitionError([_("the definition must be a JSON object")])
    read = _Reader()
    code = read.code(data, "")
    version = read.get(data, "version", str, "") or ""
    title = read.text(data, "title", "")
    respondent = read.get(data, "respondent", str, "") or ""
    if respondent and respondent not in RESPONDENTS:
        read.fail("respondent", _one_of(RESPONDENTS))
    level = read.get(data, "level", str, "", default="individual")
    if level not in LEVELS:
        read.fail("level", _one_of(LEVELS))
    licence_data = read.get(data, "licence", dict, "") or {}
    licence = Licence(
        name=read.note(licence_data, "name", "licence", required=True),
        source=read.note(licence_data, "source", "licence", required=True),
        item_texts_included=bool(read.get(licence_data, "item_texts_included", bool, "licence")),
        url=read.get(licence_data, "url", str, "licence", default=""),
    )
    scales = _scales(read, read.get(data, "scales", dict, "") or {})
    items = _items(read, read.get(data, "items", list, "") or [], scales, licence)
    subscales = _subscales(read, read.get(data, "subscales", list, "", default=[]), items)
    scoring = _scoring(read, read.get(data, "scoring", dict, "") or {}, items, scales)
    bands = _bands(read, read.get(data, "bands", list, "", default=[]))
    reliability = read.get(data, "reliability", (int, float), "", default=None)
    if reliability is not None and not 0 < reliability < 1:
        read.fail("reliability", _("must be between 0 and 1"))
    reference_sd = read.get(data, "reference_sd", (int, float), "", default=None)
    if reference_sd is not None and reference_sd <= 0:
        read.fail("reference_sd", _("must be greater than 0"))
    reliability_source = read.note(data, "reliability_source", "", required=False)
    higher_is_better = read.get(data, "higher_is_better", bool, "", default=True)
    description = read.text(data, "description", "", required=False)
    known = {
        "code",
        "version",
        "title",
        "description",
        "respondent",
        "level",
        "licence",
        "scales",
        "items",
        "subscales",
        "scoring",
        "bands",
        "reliability",
        "reference_sd",
        "reliability_source",
        "higher_is_better",
    }
    for key in sorted(set(data) - known):
        read.fail(key, _("is not a known field"))
    if read.problems:
        raise DefinitionError(read.problems)
    return Definition(
        code=code,
        version=version,
        title=title,
        respondent=respondent,
        level=level,
        licence=licence,
        scales=scales,
        items=tuple(items),
        scoring=scoring,
        description=description,
        subscales=tuple(subscales),
        bands=tuple(bands),
        reliability=reliability,
        reference_sd=reference_sd,
        reliability_source=reliability_source,
        higher_is_better=higher_is_better,
    )


def _scales(read: _Reader, data: Mapping[str, Any]) -> dict[str, Scale]:
    scales = {}
    if not data:
        read.fail("scales", _("needs at least one scale"))
    for code, spec in data.items():
        where = f"scales.{code}"
        if not isinstance(spec, dict):
            read.fail(where, _("must be an object"))
            continue
        options: list[Option] = []
        for index, option in enumerate(read.get(spec, "options", list, where, default=[])):
            if not isinstance(option, dict):
                read.fail(f"{where}.options[{index}]", _("must be an object"))
                continue
            value = read.get(option, "value", int, f"{where}.options[{index}]")
            if value is not None and value in {o.value for o in options}:
                read.fail(
                    f"{where}.options[{index}].value",
                    _("the value %(value)s appears twice") % {"value": value},
                )
            label = read.text(option, "label", f"{where}.options[{index}]")
            if value is not None:
                options.append(Option(value, label))
        minimum = read.get(
            spec, "min", int, where, default=min((o.value for o in options), default=None)
        )
        maximum = read.get(
            spec, "max", int, where, default=max((o.value for o in options), default=None)
        )
        if minimum is None or maximum is None:
            read.fail(where, _("needs min and max, or options"))
            continue
        if minimum >= maximum:
            read.fail(where, _("min must be below max"))
        missing = tuple(read.get(spec, "missing_values", list, where, default=[]))
        if any(isinstance(v, bool) or not isinstance(v, int) for v in missing):
            read.fail(f"{where}.missing_values", _("must be a list of whole numbers"))
        scales[code] = Scale(code, minimum, maximum, tuple(options), missing)
    return scales


def _items(
    read: _Reader, data: list[Any], scales: Mapping[str, Scale], licence: Licence
) -> list[Item]:
    items: list[Item] = []
    if not data:
        read.fail("items", _("needs at least one item"))
    seen: set[str] = set()
    for index, spec in enumerate(data):
        where = f"items[{index}]"
        if not isinstance(spec, dict):
            read.fail(where, _("must be an object"))
            continue
        code = read.code(spec, where)
        if code in seen:
            read.fail(f"{where}.code", _("%(code)s appears twice") % {"code": repr(code)})
        seen.add(code)
        scale = read.get(spec, "scale", str, where) or ""
        if scale and scale not in scales:
            read.fail(f"{where}.scale", _("unknown scale %(scale)s") % {"scale": repr(scale)})
        text = read.text(spec, "text", where, required=False)
        if text and not licence.item_texts_included:
            read.fail(f"{where}.text", _("the licence does not allow shipping item texts"))
        items.append(
            Item(
                code=code,
                scale=scale,
                text=text,
                plain_text=read.text(spec, "plain_text", where, required=False),
                reverse=read.get(spec, "reverse", bool, where, default=False),
                required=read.get(spec, "required", bool, where, default=True),
                scored=read.get(spec, "scored", bool, where, default=True),
            )
        )
    if data and not any(item.scored for item in items):
        read.fail("items", _("at least one item must be scored"))
    return items


def _subscales(read: _Reader, data: list[Any], items: list[Item]) -> list[Subscale]:
    scored = {item.code: item.scored for item in items}
    subscales: list[Subscale] = []
    for index, spec in enumerate(data):
        where = f"subscales[{index}]"
        if not isinstance(spec, dict):
            read.fail(where, _("must be an object"))
            continue
        code = read.code(spec, where)
        if code in {s.code for s in subscales}:
            read.fail(f"{where}.code", _("%(code)s appears twice") % {"code": repr(code)})
        members = read.get(spec, "items", list, where) or []
        for member in members:
            if not isinstance(member, str) or member not in scored:
                read.fail(f"{where}.items", _("unknown item %(item)s") % {"item": repr(member)})
            elif not scored[member]:
                read.fail(
                    f"{where}.items",
                    _("%(item)s is not scored, so it cannot be in a subscale")
                    % {"item": repr(member)},
                )
        subscales.append(Subscale(code, read.text(spec, "title", where), tuple(members)))
    return subscales


def _scoring(
    read: _Reader, data: Mapping[str, Any], items: list[Item], scales: Mapping[str, Scale]
) -> Scoring:
    method = read.get(data, "method", str, "scoring") or "sum"
    if method not in METHODS:
        read.fail("scoring.method", _one_of(METHODS))
    share = read.get(data, "max_missing_share", (int, float), "scoring", default=0.0)
    if share is not None and not 0 <= share <= 1:
        read.fail("scoring.max_missing_share", _("must be between 0 and 1"))
    rescale = read.get(data, "rescale_to", list, "scoring", default=None)
    if method == "rescaled" and (not rescale or len(rescale) != 2):
        read.fail("scoring.rescale_to", _("a rescaled score needs [min, max]"))
    if rescale and any(isinstance(v, bool) or not isinstance(v, int | float) for v in rescale):
        read.fail("scoring.rescale_to", _("must be a list of numbers"))
        rescale = None
    weighting_data = read.get(data, "weighted_by", dict, "scoring", default=None)
    weighting = _weighting(read, weighting_data, items, scales) if weighting_data else None
    return Scoring(method, float(share or 0), tuple(rescale) if rescale else None, weighting)


def _weighting(
    read: _Reader, data: Mapping[str, Any], items: list[Item], scales: Mapping[str, Scale]
) -> Weighting | None:
    """``scoring.weighted_by``: {"item": an unscored item with options, "weights": {option
    value: {scored item: weight > 0}}}."""
    where = "scoring.weighted_by"
    by_code = {item.code: item for item in items}
    code = read.get(data, "item", str, where) or ""
    chooser = by_code.get(code)
    if code and chooser is None:
        read.fail(f"{where}.item", _("unknown item %(item)s") % {"item": repr(code)})
    elif chooser is not None and chooser.scored:
        read.fail(f"{where}.item", _("the item that chooses the weights must not be scored"))
    scale = scales.get(chooser.scale) if chooser is not None else None
    if chooser is not None and scale is not None and not scale.options:
        read.fail(f"{where}.item", _("the item that chooses the weights needs options"))
    weights: dict[int, dict[str, float]] = {}
    for key, spec in (read.get(data, "weights", dict, where) or {}).items():
        at = f"{where}.weights.{key}"
        value = int(key) if re.fullmatch(r"-?\d+", str(key)) else None
        if value is None or (scale is not None and value not in scale.option_values):
            read.fail(at, _("is not an option value of the item that chooses the weights"))
            continue
        if not isinstance(spec, dict):
            read.fail(at, _("must be an object"))
            continue
        weights[value] = {}
        for member, weight in spec.items():
            if member not in by_code or not by_code[member].scored:
                read.fail(at, _("unknown scored item %(item)s") % {"item": repr(member)})
            elif isinstance(weight, bool) or not isinstance(weight, int | float) or weight <= 0:
                read.fail(f"{at}.{member}", _("must be a number greater than 0"))
            else:
                weights[value][member] = float(weight)
    unknown = sorted(set(data) - {"item", "weights"})
    for key in unknown:
        read.fail(f"{where}.{key}", _("is not a known field"))
    return Weighting(code, weights) if chooser is not None else None


def _bands(read: _Reader, data: list[Any]) -> list[Band]:
    bands: list[Band] = []
    for index, spec in enumerate(data):
        where = f"bands[{index}]"
        if not isinstance(spec, dict):
            read.fail(where, _("must be an object"))
            continue
        minimum = read.get(spec, "min", (int, float), where)
        maximum = read.get(spec, "max", (int, float), where)
        if minimum is not None and maximum is not None and minimum > maximum:
            read.fail(where, _("min must not be above max"))
        bands.append(
            Band(
                read.code(spec, where), minimum or 0, maximum or 0, read.text(spec, "label", where)
            )
        )
    ordered = sorted(bands, key=lambda band: band.minimum)
    for lower, upper in itertools.pairwise(ordered):
        if upper.minimum <= lower.maximum:
            read.fail(
                "bands",
                _("%(lower)s and %(upper)s overlap")
                % {"lower": repr(lower.code), "upper": repr(upper.code)},
            )
    return bands


def definition_to_data(definition: Definition) -> dict[str, Any]:
    """The definition as the JSON data ``parse_definition`` reads (its inverse)."""

    def scale(s: Scale) -> dict[str, Any]:
        data: dict[str, Any] = {"min": s.minimum, "max": s.maximum}
        if s.options:
            data["options"] = [{"value": o.value, "label": dict(o.label)} for o in s.options]
        if s.missing_values:
            data["missing_values"] = list(s.missing_values)
        return data

    def item(i: Item) -> dict[str, Any]:
        data: dict[str, Any] = {"code": i.code, "scale": i.scale}
        if i.text:
            data["text"] = dict(i.text)
        if i.plain_text:
            data["plain_text"] = dict(i.plain_text)
        if i.reverse:
            data["reverse"] = True
        if not i.required:
            data["required"] = False
        if not i.scored:
            data["scored"] = False
        return data

    scoring: dict[str, Any] = {"method": definition.scoring.method}
    if definition.scoring.max_missing_share:
        scoring["max_missing_share"] = definition.scoring.max_missing_share
    if definition.scoring.rescale_to:
        scoring["rescale_to"] = list(definition.scoring.rescale_to)
    if definition.scoring.weighted_by:
        scoring["weighted_by"] = weighting_data(definition.scoring.weighted_by)
    data: dict[str, Any] = {
        "code": definition.code,
        "version": definition.version,
        "title": dict(definition.title),
        "respondent": definition.respondent,
        "level": definition.level,
        "licence": {
            "name": note_text(definition.licence.name),
            "source": note_text(definition.licence.source),
            "item_texts_included": definition.licence.item_texts_included,
            **({"url": definition.licence.url} if definition.licence.url else {}),
        },
        "scales": {code: scale(s) for code, s in definition.scales.items()},
        "items": [item(i) for i in definition.items],
        "scoring": scoring,
        "higher_is_better": definition.higher_is_better,
    }
    if definition.description:
        data["description"] = dict(definition.description)
    if definition.subscales:
        data["subscales"] = [
            {"code": s.code, "title": dict(s.title), "items": list(s.items)}
            for s in definition.subscales
        ]
    if definition.bands:
        data["bands"] = [
            {"code": b.code, "min": b.minimum, "max": b.maximum, "label": dict(b.label)}
            for b in definition.bands
        ]
    if definition.reliability is not None:
        data["reliability"] = definition.reliability
    if definition.reference_sd is not None:
        data["reference_sd"] = definition.reference_sd
    if definition.reliability_source:
        data["reliability_source"] = note_text(definition.reliability_source)
    return data


def weighting_data(weighting: Weighting) -> dict[str, Any]:
    """A weighting as the definition file writes it (option values as text keys)."""
    return {
        "item": weighting.item,
        "weights": {str(value): dict(weights) for value, weights in weighting.weights.items()},
    }
