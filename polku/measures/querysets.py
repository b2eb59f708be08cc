"""Policy-scoped querysets of measurements.

``visible_to(actor)`` lists exactly the administrations that ``access_measurement``
(``measures.access``) would open for ``VIEW``: measurements of the owner's register, and
for the holder of a single-use link only the link's one administration.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import models

from polku.policy import decisions
from polku.policy.enums import DataCategory, Purpose

if TYPE_CHECKING:
    from polku.measures.models import Administration  # noqa: F401
    from polku.policy.actors import Actor


class AdministrationQuerySet(models.QuerySet["Administration"]):
    def visible_to(
        self, actor: Actor, *, purpose: Purpose | None = None, on: date | None = None
    ) -> AdministrationQuerySet:
        return self.filter(
            decisions.visible_records(actor, DataCategory.MEASUREMENTS, purpose=purpose, on=on),
            decisions.reached(actor, self.model),
            client__merged_into__isnull=True,
        )
