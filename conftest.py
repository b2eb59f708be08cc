"""Fixtures shared by every app's tests."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from polku.accounts.enums import OrganisationKind, Role
from polku.accounts.models import Membership, Organisation, Unit, User
from polku.core.codesets import load_all
from polku.core.models import Municipality

TEST_PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Code outside a request speaks English in tests, so assertions read as the code does."""
    with translation.override("en"):
        yield


@pytest.fixture
def client() -> Client:
    """A test client that reads pages in English, so that assertions read as the code does."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def codesets(db: None) -> None:
    """The shipped municipality, county and employment-area code sets."""
    load_all()


@pytest.fixture
def programmes(db: None) -> None:
    """The shipped programmes and their measurement schedules, recreated for tests whose
    database was flushed before them."""
    from django.apps import apps

    for name in (
        "polku.pathways.migrations.0002_programmes",
        "polku.measures.migrations.0002_default_schedules",
    ):
        importlib.import_module(name).create(apps, None)


@pytest.fixture
def make_organisation(codesets: None) -> Callable[..., Organisation]:
    def make(
        name: str = "Pirkanmaan hyvinvointialue, sosiaalipalvelut",
        kind: OrganisationKind = OrganisationKind.SOCIAL_WELFARE,
        municipality: str = "837",
        **fields: Any,
    ) -> Organisation:
        place = Municipality.objects.get(pk=municipality)
        return Organisation.objects.create(
            name=name,
            kind=kind,
            municipality=place,
            wellbeing_county_id=place.wellbeing_county_id,
            **fields,
        )

    return make


@pytest.fixture
def make_professional(make_organisation: Callable[..., Organisation]) -> Callable[..., User]:
    def make(
        username: str = "sanna",
        role: Role = Role.SOCIAL_WORKER,
        organisation: Organisation | None = None,
        **fields: Any,
    ) -> User:
        organisation = organisation or make_organisation()
        user = User.objects.create_user(
            username=username,
            password=TEST_PASSWORD,
            first_name=fields.pop("first_name", "Sanna"),
            last_name=fields.pop("last_name", "Aaltomaa"),
            email=fields.pop("email", f"{username}@example.invalid"),
            **fields,
        )
        unit, _ = Unit.objects.get_or_create(organisation=organisation, name="Työikäisten palvelut")
        Membership.objects.create(user=user, organisation=organisation, unit=unit, role=role)
        return user

    return make
