"""Ends recorded by mistake, corrected rather than deleted.

A record that ends (an episode, a service relationship) keeps its end date, its reason, who
recorded the end and when. For ``CORRECTION_DAYS`` after the end was recorded, its owner may
undo it as a mistake, with a reason: the record is open again, and a correction row (a model
built on ``EndCorrection``) keeps the end as it was, so that the history shows both.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# How long after an end was recorded it may be corrected as a mistake. Later, the end
# stands: a new relationship or episode is started instead.
CORRECTION_DAYS = 30
ENDED_FIELDS = ("ended_on", "end_reason", "ended_by", "end_recorded_at")


def within_correction_period(record: Any, on: date | None = None) -> bool:
    """Whether the end of ``record`` (with ``ended_on`` and ``end_recorded_at``) may still
    be corrected on ``on``: within ``CORRECTION_DAYS`` of the day the end was recorded (of
    its end date, for an end recorded before the moment was kept)."""
    if record.ended_on is None:
        return False
    recorded_on = (
        timezone.localdate(record.end_recorded_at) if record.end_recorded_at else record.ended_on
    )
    return (on or timezone.localdate()) <= recorded_on + timedelta(days=CORRECTION_DAYS)


def undo_end(record: Any) -> dict[str, Any]:
    """Clear the end of ``record`` and save it; return the end as it was recorded, for its
    correction row."""
    was = {name: getattr(record, name) for name in ENDED_FIELDS}
    record.ended_on, record.end_reason, record.ended_by, record.end_recorded_at = (
        None,
        "",
        None,
        None,
    )
    record.save(update_fields=list(ENDED_FIELDS))
    return was


class EndCorrection(models.Model):
    """An end undone as a mistake: the end as it was recorded, and why it was a mistake.
    A concrete correction adds the record it corrects and the choices of its end reason."""

    ended_on = models.DateField(_("end date that was undone"))
    end_reason = models.CharField(_("end reason that was undone"), max_length=32, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("end recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    end_recorded_at = models.DateTimeField(_("end recorded at"), null=True, blank=True)
    reason = models.TextField(_("why the end was a mistake"))
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("corrected by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    corrected_at = models.DateTimeField(_("corrected at"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["corrected_at"]

    def __str__(self) -> str:
        return f"{self.ended_on:%d.%m.%Y} → {self.corrected_at:%d.%m.%Y}"
