"""Who may read and who may score a unit's IPS fidelity self-reviews, and who enters the
scale's wording: role × organisation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from polku.accounts.enums import CLIENT_WORK_ROLES, OrganisationKind, Role
from polku.accounts.models import Membership, Organisation, Unit, User
from polku.policy import decisions
from polku.policy.actors import Actor

pytestmark = pytest.mark.django_db

REVIEWING_ROLES = {*CLIENT_WORK_ROLES, Role.PROJECT_MANAGER}


@pytest.fixture(name="organisations")
def organisations_fixture(make_organisation: Callable[..., Organisation]) -> tuple[Unit, Unit]:
    own = make_organisation(name="Askel eteenpäin ry", kind=OrganisationKind.NGO)
    other = make_organisation(name="Muu ry", kind=OrganisationKind.NGO)
    return (
        Unit.objects.create(organisation=own, name="Työhönvalmennus"),
        Unit.objects.create(organisation=other, name="Työhönvalmennus"),
    )


@pytest.mark.parametrize("role", list(Role))
def test_each_role_of_the_units_organisation(
    role: Role, organisations: tuple[Unit, Unit], make_professional: Callable[..., User]
) -> None:
    unit, other_unit = organisations
    user = make_professional("mikko", role=role, organisation=unit.organisation)
    actor = Actor.for_user(user)

    assert decisions.may_read_fidelity(actor, unit) is True
    assert decisions.may_review_fidelity(actor, unit) is (role in REVIEWING_ROLES)
    # Another organisation's unit: neither read nor scored, whatever the role.
    assert decisions.may_read_fidelity(actor, other_unit) is False
    assert decisions.may_review_fidelity(actor, other_unit) is False


def test_a_professional_of_two_organisations_acts_for_the_one_chosen(
    organisations: tuple[Unit, Unit], make_professional: Callable[..., User]
) -> None:
    unit, other_unit = organisations
    user = make_professional("mikko", role=Role.JOB_COACH, organisation=unit.organisation)
    other = Membership.objects.create(
        user=user, organisation=other_unit.organisation, unit=other_unit, role=Role.JOB_COACH
    )

    actor = Actor.for_user(user, membership_id=other.pk)

    assert decisions.may_review_fidelity(actor, other_unit) is True
    assert decisions.may_read_fidelity(actor, unit) is False
    assert decisions.may_review_fidelity(actor, unit) is False


def test_an_ended_membership_or_an_inactive_user_gives_nothing(
    organisations: tuple[Unit, Unit], make_professional: Callable[..., User]
) -> None:
    unit, _other = organisations
    user = make_professional("mikko", role=Role.JOB_COACH, organisation=unit.organisation)
    membership = Membership.objects.get(user=user)
    actor = Actor.professional(membership)
    Membership.objects.filter(pk=membership.pk).update(
        valid_from=timezone.localdate() - timedelta(days=30),
        valid_until=timezone.localdate() - timedelta(days=1),
    )
    ended = Actor.professional(Membership.objects.get(pk=membership.pk))

    assert decisions.may_review_fidelity(actor, unit) is True
    assert decisions.may_read_fidelity(ended, unit) is False
    assert decisions.may_review_fidelity(ended, unit) is False
    user.is_active = False
    user.save()
    inactive = Actor.professional(Membership.objects.select_related("user").get(pk=membership.pk))
    assert decisions.may_read_fidelity(inactive, unit) is False


def test_other_actors_never_read_nor_score(organisations: tuple[Unit, Unit]) -> None:
    unit, _other = organisations
    job = Actor.system("employment.test")

    assert decisions.may_read_fidelity(job, unit) is False
    assert decisions.may_review_fidelity(job, unit) is False


@pytest.mark.parametrize(("is_staff", "expected"), [(True, True), (False, False)])
def test_the_wording_is_entered_by_administrators(
    is_staff: bool, expected: bool, make_professional: Callable[..., User]
) -> None:
    user = make_professional("ylla", role=Role.ADMINISTRATOR, is_staff=is_staff)

    assert decisions.may_edit_fidelity_wording(Actor.for_user(user)) is expected
