"""Policy-scoped querysets of pathway records.

``visible_to(actor)`` lists exactly the rows that the record's ``access_`` function
(``pathways.access``) would open for ``VIEW``: the same grounds, as conditions on each
row's client, owner and register (``decisions.visible_records``). Lists start here.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

from polku.policy import decisions
from polku.policy.enums import REGISTER_CATEGORY, DataCategory, Purpose

if TYPE_CHECKING:
    from polku.pathways.models import Episode, JournalEntry, PlanAction, Referral  # noqa: F401
    from polku.policy.actors import Actor


class EpisodeQuerySet(models.QuerySet["Episode"]):
    def active(self) -> EpisodeQuerySet:
        return self.filter(ended_on__isnull=True)

    def visible_to(
        self, actor: Actor, *, purpose: Purpose | None = None, on: date | None = None
    ) -> EpisodeQuerySet:
        """Episodes whose plan and pathway the actor may read: its owner's, in its register."""
        return self.filter(
            decisions.visible_records(actor, DataCategory.PLAN, purpose=purpose, on=on),
            client__merged_into__isnull=True,
        )


class ReferralQuerySet(models.QuerySet["Referral"]):
    def visible_to(
        self, actor: Actor, *, purpose: Purpose | None = None, on: date | None = None
    ) -> ReferralQuerySet:
        """Referrals the actor may read: as the sender's plan (in its episode's register, or
        the sender's shared records when it has no episode), or as the receiver while the
        referral's own ground is open."""
        as_plan = decisions.visible_records(
            actor,
            DataCategory.PLAN,
            owner_field="from_organisation",
            register_field="episode__register",
            purpose=purpose,
            on=on,
        )
        return self.filter(
            as_plan | decisions.received_referrals(actor), client__merged_into__isnull=True
        )


class JournalEntryQuerySet(models.QuerySet["JournalEntry"]):
    def visible_to(
        self, actor: Actor, *, purpose: Purpose | None = None, on: date | None = None
    ) -> JournalEntryQuerySet:
        """Journal entries the actor may read, each under the category of its register."""
        visible = Q(pk__in=[])
        for register, category in REGISTER_CATEGORY.items():
            visible |= Q(register=register) & decisions.visible_records(
                actor, category, purpose=purpose, on=on
            )
        return self.filter(visible, client__merged_into__isnull=True)


class PlanActionQuerySet(models.QuerySet["PlanAction"]):
    def tasks(self) -> PlanActionQuerySet:
        """Actions that are someone's task: owned by a professional or an organisation,
        with a due date, in the plan of an episode still running (of a client not merged
        into another record). The client's own actions are the client's, not a task."""
        return self.filter(
            Q(owner_user__isnull=False) | Q(owner_organisation__isnull=False),
            due_on__isnull=False,
            owner_is_client=False,
            plan__episode__ended_on__isnull=True,
            plan__episode__client__merged_into__isnull=True,
        )

    def open(self) -> PlanActionQuerySet:
        return self.filter(done_on__isnull=True)
