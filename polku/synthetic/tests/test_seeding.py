"""The demo and volume seeders: complete, idempotent, deterministic, synthetic only."""

import pytest
from django.core.management import call_command
from django.db.models import F

from polku.accounts.enums import OrganisationKind, Role
from polku.accounts.models import Membership, Organisation, Unit, User
from polku.synthetic.demo import DEMO_PASSWORD
from polku.synthetic.volume import SYNTHETIC_PASSWORD, VolumeSeeder, username_for

pytestmark = pytest.mark.django_db


def snapshot() -> tuple[int, int, int, int]:
    return (
        Organisation.objects.count(),
        Unit.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    )


def test_the_demo_has_every_kind_of_organisation_and_every_role_and_runs_twice(capsys):
    call_command("seed_demo")
    first = snapshot()

    call_command("seed_demo")

    assert snapshot() == first
    assert set(Organisation.objects.values_list("kind", flat=True)) == set(OrganisationKind)
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role)
    assert Organisation.objects.values("municipality").distinct().count() == 3
    assert User.objects.get(username="sosiaalityontekija").check_password(DEMO_PASSWORD)
    output = capsys.readouterr().out
    assert "sosiaalityontekija" in output
    assert DEMO_PASSWORD in output


def test_volume_seeding_creates_what_was_asked_with_fitting_roles(capsys):
    call_command("seed_synthetic", seed=7, organisations=30, professionals=250)

    assert Organisation.objects.count() == 30
    assert User.objects.count() == 250
    assert Membership.objects.count() == 250
    assert not Membership.objects.filter(organisation__kind=OrganisationKind.EMPLOYER).exists()
    assert not Membership.objects.exclude(unit__organisation=F("organisation")).exists()
    social_welfare = Membership.objects.filter(organisation__kind=OrganisationKind.SOCIAL_WELFARE)
    assert set(social_welfare.values_list("role", flat=True)) <= {
        Role.SOCIAL_WORKER,
        Role.SOCIAL_COUNSELLOR,
        Role.PROJECT_MANAGER,
        Role.ANALYST,
        Role.ADMINISTRATOR,
    }
    assert User.objects.get(username=username_for(7, 1)).check_password(SYNTHETIC_PASSWORD)


def test_a_seed_already_present_is_left_alone(capsys):
    call_command("seed_synthetic", seed=3, organisations=5, professionals=20)
    first = snapshot()

    call_command("seed_synthetic", seed=3, organisations=5, professionals=20)

    assert snapshot() == first
    assert "already in the database" in capsys.readouterr().out


def test_the_same_seed_gives_the_same_data(codesets):
    def run() -> list[tuple[str, str, str, str]]:
        seeder = VolumeSeeder(seed=11)
        seeder.organisations(10)
        seeder.professionals(40)
        rows = list(
            Membership.objects.order_by("user__username").values_list(
                "user__username", "user__last_name", "organisation__name", "role"
            )
        )
        Organisation.objects.all().delete()
        User.objects.all().delete()
        return rows

    assert run() == run()
