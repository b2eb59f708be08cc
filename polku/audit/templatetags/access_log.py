"""Access-log rows in templates: ``{{ row|plain_words }}``."""

from __future__ import annotations

from django import template

from polku.audit.describe import describe
from polku.audit.models import AccessLogEntry

register = template.Library()


@register.filter
def plain_words(row: AccessLogEntry) -> str:
    """The row as one sentence in the active language (``audit.describe``)."""
    return describe(row)
