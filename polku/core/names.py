"""Names kept as data in every language: programmes, organisations and units.

A name of such a thing is data that an administrator enters, not a text of the program,
so it has no place in the translation catalogues. ``name`` is the official (Finnish) name,
which ordering and search use; ``names`` holds its forms in the other languages of
``settings.LANGUAGES`` (``{"sv": "…", "en": "…"}``). Pages show ``localized_name``: the
reader's language, else the official name.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from polku.core import languages

NAME_LENGTH = 200


def other_languages() -> list[str]:
    """The languages whose names are kept in ``names``: all but the default one."""
    return [code for code in languages.codes() if code != languages.default()]


def validate_names(value: Any) -> None:
    """``names`` maps a language of Polku other than the default one to a non-empty name."""
    if not isinstance(value, dict):
        raise ValidationError(
            _("Names in other languages must be given as language code and name pairs."),
            code="invalid_names",
        )
    allowed = other_languages()
    for code, name in value.items():
        if code not in allowed:
            raise ValidationError(
                _("%(code)s is not a language code for a translated name (use %(allowed)s)."),
                code="invalid_language",
                params={"code": code, "allowed": ", ".join(allowed)},
            )
        if not isinstance(name, str) or not name.strip():
            raise ValidationError(
                _("The name in %(code)s must be text, not empty."),
                code="invalid_name",
                params={"code": code},
            )
        if len(name) > NAME_LENGTH:
            raise ValidationError(
                _("The name in %(code)s may be at most %(limit)d characters long."),
                code="name_too_long",
                params={"code": code, "limit": NAME_LENGTH},
            )


def localized(name: str, names: dict[str, str] | None, language: str | None = None) -> str:
    """The form of a name in ``language`` (default: the active one), else the official one."""
    code = (language or translation.get_language() or languages.default()).split("-")[0]
    return (names or {}).get(code) or name


class NamedInLanguages(models.Model):
    """A model whose name is shown in the reader's language."""

    name = models.CharField(_("name"), max_length=NAME_LENGTH)
    names = models.JSONField(
        _("names in other languages"),
        default=dict,
        blank=True,
        validators=[validate_names],
        help_text=_('The name in Swedish and English, e.g. {"sv": "…", "en": "…"}.'),
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.localized_name

    @property
    def localized_name(self) -> str:
        """The name in the active language, falling back to the official name."""
        return localized(self.name, self.names)


class NamesForm(forms.ModelForm):
    """A model form that edits ``names`` as one text field a language (``name_sv``, …);
    make one with ``names_form``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = self.instance.names if isinstance(self.instance.names, dict) else {}
        for code in other_languages():
            if f"name_{code}" in self.fields:
                self.fields[f"name_{code}"].initial = current.get(code, "")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.instance.names = {
            code: cleaned[f"name_{code}"].strip()
            for code in other_languages()
            if (cleaned.get(f"name_{code}") or "").strip()
        }
        return cleaned


def _name_label(code: str) -> str:
    language = dict(settings.LANGUAGES).get(code, code)
    return _("Name in %(language)s") % {"language": str(language).lower()}


def names_form(model: type[models.Model]) -> type[NamesForm]:
    """A ``NamesForm`` for ``model``: every field but ``names``, which is edited as one
    optional text field a language other than the default (for the admin)."""
    attrs: dict[str, Any] = {
        f"name_{code}": forms.CharField(
            label=lazy(_name_label, str)(code), max_length=NAME_LENGTH, required=False
        )
        for code in other_languages()
    }
    attrs["Meta"] = type("Meta", (), {"model": model, "exclude": ["names"]})
    return type(f"{model.__name__}NamesForm", (NamesForm,), attrs)
