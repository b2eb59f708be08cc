"""Access-log rows in templates: ``{{ row|plain_words }}``, ``{{ row|owner_label }}``."""

from __future__ import annotations

from django import template

from polku.audit.describe import describe, recorded_name
from polku.audit.models import AccessLogEntry

register = template.Library()


@register.filter
def plain_words(row: AccessLogEntry) -> str:
    """The row as one sentence in the active language (``audit.describe``)."""
    return describe(row)


@register.filter
def owner_label(row: AccessLogEntry) -> str:
    """Whose records the row is about, in the reader's language where known."""
    return recorded_name(row, "owner")
