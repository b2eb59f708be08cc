"""Small template helpers for accessible components."""

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

from polku.core.languages import LanguageName, names

register = template.Library()


@register.simple_tag
def widget(field: BoundField) -> SafeString:
    """Render a field's widget tied to its help text and errors for screen readers."""
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_helptext")
    if field.errors:
        described_by.append(f"{field.auto_id}_errors")
    attrs: dict[str, str | bool] = {}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.simple_tag
def languages() -> list[LanguageName]:
    """The languages of ``settings.LANGUAGES`` with their names, for language choices;
    unlike Django's ``get_language_info_list``, also those Django has no information on."""
    return names()
