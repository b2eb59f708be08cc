"""The people of the insights tests (all synthetic): an analyst, an administrator and a
social worker."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from polku.accounts.enums import OrganisationKind, Role
from polku.accounts.models import Organisation, User


@pytest.fixture
def analyst(
    make_organisation: Callable[..., Organisation], make_professional: Callable[..., User]
) -> User:
    office = make_organisation(name="Pirkanmaan liitto, tietopalvelut", kind=OrganisationKind.OTHER)
    return make_professional(
        username="analyytikko",
        role=Role.ANALYST,
        organisation=office,
        first_name="Aino",
        last_name="Analyysimaa",
    )


@pytest.fixture
def administrator(make_professional: Callable[..., User]) -> User:
    return make_professional(
        username="paakayttaja",
        role=Role.ADMINISTRATOR,
        first_name="Pekka",
        last_name="Pääkäyttäjämaa",
        is_staff=True,
    )


@pytest.fixture
def social_worker(make_professional: Callable[..., User]) -> User:
    return make_professional(username="sosiaalityontekija", role=Role.SOCIAL_WORKER)
