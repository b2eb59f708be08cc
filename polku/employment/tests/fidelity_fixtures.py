"""Shared set-up of the fidelity tests: two organisations with a unit each, and in the
first a job coach, a project manager, an analyst and an administrator; in the second a job
coach."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from django.apps import apps
from django.utils import timezone

from polku.accounts.enums import OrganisationKind, Role
from polku.accounts.models import Membership, Organisation, Unit, User
from polku.employment import fidelity_services
from polku.employment.models import FidelityReview
from polku.policy.actors import Actor

# A complete review's scores, items 1–25: staffing 4+4+3 = 11, organisation
# 5+4+4+3+4+4+5+4 = 33, services 4+4+4+3+4+4+4+4+5+4+4+4+4+4 = 56; total 100 (good).
GOOD_SCORES = (4, 4, 3, 5, 4, 4, 3, 4, 4, 5, 4, 4, 4, 4, 3, 4, 4, 4, 4, 5, 4, 4, 4, 4, 4)


def scores_of(values: tuple[int, ...]) -> dict[int, int | None]:
    return dict(enumerate(values, start=1))


@dataclass
class Fidelity:
    org_a: Organisation
    org_b: Organisation
    unit_a: Unit
    unit_b: Unit
    coach_a: User
    manager_a: User
    analyst_a: User
    admin: User
    coach_b: User

    def actor(self, user: User | None = None) -> Actor:
        return Actor.for_user(user or self.coach_a)

    def review(
        self,
        *,
        scores: tuple[int, ...] | None = None,
        reviewed_on: date | None = None,
        final: bool = False,
    ) -> FidelityReview:
        """A draft review of unit A by coach A, scored with ``scores`` if given, and made
        final if asked."""
        review = fidelity_services.start_review(
            actor=self.actor(),
            unit=self.unit_a,
            reviewed_on=reviewed_on or timezone.localdate(),
            reviewers="Aino ja Pekka",
        )
        if scores is not None:
            fidelity_services.save_scores(
                actor=self.actor(), review=review, scores=scores_of(scores)
            )
        if final:
            review = fidelity_services.finalise_review(actor=self.actor(), review=review)
        return review


@pytest.fixture(name="fidelity")
def fidelity_fixture(
    make_organisation: Callable[..., Organisation], make_professional: Callable[..., User]
) -> Fidelity:
    # The scale's items, as shipped (recreated where an earlier test flushed the database).
    importlib.import_module("polku.employment.migrations.0004_fidelity_items").create(apps, None)
    org_a = make_organisation(name="Askel eteenpäin ry", kind=OrganisationKind.NGO)
    org_b = make_organisation(
        name="Tampereen työllisyyspalvelut", kind=OrganisationKind.MUNICIPAL_EMPLOYMENT
    )
    coach_a = make_professional("aino", role=Role.JOB_COACH, organisation=org_a)
    manager_a = make_professional("pekka", role=Role.PROJECT_MANAGER, organisation=org_a)
    analyst_a = make_professional("anna", role=Role.ANALYST, organisation=org_a)
    admin = make_professional("ylla", role=Role.ADMINISTRATOR, organisation=org_a, is_staff=True)
    coach_b = make_professional("ben", role=Role.JOB_COACH, organisation=org_b)
    unit_a = Membership.objects.get(user=coach_a).unit
    unit_b = Membership.objects.get(user=coach_b).unit
    assert unit_a is not None
    assert unit_b is not None
    return Fidelity(
        org_a=org_a,
        org_b=org_b,
        unit_a=unit_a,
        unit_b=unit_b,
        coach_a=coach_a,
        manager_a=manager_a,
        analyst_a=analyst_a,
        admin=admin,
        coach_b=coach_b,
    )
