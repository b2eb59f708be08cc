"""Choosing the text of a multilingual mapping for the active language."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import get_language

FALLBACK_ORDER = ("fi", "sv", "en")


def localized(texts: Mapping[str, str], language: str | None = None) -> str:
    """The text in ``language`` (default: the active one), else Finnish, Swedish, English."""
    language = (language or get_language() or "fi")[:2]
    for code in (language, *FALLBACK_ORDER):
        if texts.get(code):
            return texts[code]
    return ""
