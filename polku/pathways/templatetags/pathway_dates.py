"""Dates on pathway pages as a professional reads them: how late something is."""

from __future__ import annotations

from datetime import date

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def days_late(due_on: date | None) -> int:
    """Whole days since ``due_on`` passed; 0 when it has not, or there is none."""
    if due_on is None:
        return 0
    return max((timezone.localdate() - due_on).days, 0)
