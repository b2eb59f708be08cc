"""Choosing the text of a multilingual mapping for the active language."""

from __future__ import annotations

from collections.abc import Mapping

from polku.core import languages


def localized(texts: Mapping[str, str], language: str | None = None) -> str:
    """The text in ``language`` (default: the active one), else in the default language,
    else in the first of the other languages that has one (a definition may hold texts in
    a language no longer offered: those come last)."""
    for code in [*languages.fallback_order(language), *texts]:
        if texts.get(code):
            return texts[code]
    return ""
