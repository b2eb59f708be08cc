"""The languages Polku speaks, all from ``settings.LANGUAGES``.

Adding a language (Northern Sámi is wanted) needs a line in ``settings.LANGUAGES`` and a
translation file, no code change: every list of languages, and every choice of a text for
a language, is made here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.utils import translation


@dataclass(frozen=True)
class LanguageName:
    code: str
    name: str  # in the active language
    name_local: str  # in the language itself


def codes() -> list[str]:
    """The codes of ``settings.LANGUAGES``, in their order."""
    return [code for code, _name in settings.LANGUAGES]


def default() -> str:
    """The default language (Finnish)."""
    return str(settings.LANGUAGE_CODE)


def supported(code: str | None) -> str:
    """``code`` when it is one of the languages (``"sv-FI"`` counts as ``"sv"``), else the
    default language."""
    if code:
        base = code.split("-")[0].lower()
        if base in codes():
            return base
    return default()


def fallback_order(code: str | None = None) -> list[str]:
    """Where to look for a text: the language asked for (default: the active one), then the
    default language, then the others in the order of the settings."""
    first = (code or translation.get_language() or default()).split("-")[0].lower()
    return list(dict.fromkeys([first, default(), *codes()]))


def names() -> list[LanguageName]:
    """Each language's name in the active language and in itself. A language that Django
    does not know is named in itself by the settings name translated into it: until its
    translation file names it, Django falls back to the default language's name."""
    found = []
    for code, name in settings.LANGUAGES:
        info = LANG_INFO.get(code, {})
        with translation.override(code):
            local = info.get("name_local") or str(name)
        found.append(LanguageName(code=code, name=str(name), name_local=local))
    return found
