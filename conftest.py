"""Fixtures shared by every app's tests."""

from __future__ import annotations

import contextlib
import importlib
import re
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


def plain_table_markup(html: str) -> str:
    """A page without what ``{% stacked_table %}`` adds to a table's elements (their table
    roles, and each cell's column header as ``data-label``), so that tests can look for a
    cell's plain markup."""
    return re.sub(
        r' (?:data-label="[^"]*"|role="(?:table|rowgroup|row|cell|columnheader|rowheader)")',
        "",
        html,
    )


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Code outside a request speaks English in tests, so assertions read as the code does."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def smsoutbox(settings: Any) -> list[Any]:
    """Text messages stay in memory in tests (as pytest-django does with e-mail); a test
    may name another backend in its settings."""
    from polku.core import sms

    settings.POLKU_SMS_BACKEND = "polku.core.sms.LocmemBackend"
    sms.outbox.clear()
    return sms.outbox


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
        "polku.pathways.migrations.0008_programme_names_in_other_languages",
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


# PostgreSQL test runs use the production's two roles: an owner that creates the test
# database and runs the migrations, and the application's role that the tests run as, which
# may only append to the access log. The roles are created (idempotently) by the user of
# DATABASE_URL, a superuser on a fresh machine. SQLite runs are unchanged.
TEST_OWNER_ROLE = "polku_test_owner"
TEST_APP_ROLE = "polku_test_app"
TEST_ROLE_PASSWORD = "polku-test-only"  # a local test role (trust authentication in CI)


def _is_postgresql(settings_dict: dict[str, Any]) -> bool:
    return "postgresql" in settings_dict["ENGINE"]


def _create_test_roles(settings_dict: dict[str, Any]) -> None:
    import psycopg
    from psycopg import errors, sql

    conninfo = {
        "dbname": "postgres",
        "user": settings_dict["USER"],
        "password": settings_dict["PASSWORD"] or None,
        "host": settings_dict["HOST"] or None,
        "port": settings_dict["PORT"] or None,
    }
    with psycopg.connect(**conninfo, autocommit=True) as database:
        for role, options in ((TEST_OWNER_ROLE, "CREATEDB"), (TEST_APP_ROLE, "")):
            create = sql.SQL("CREATE ROLE {} LOGIN {} PASSWORD {}").format(
                sql.Identifier(role), sql.SQL(options), sql.Literal(TEST_ROLE_PASSWORD)
            )
            # The role may exist from an earlier (or a parallel) run, or have been made by
            # an administrator for a user of DATABASE_URL that may not create roles.
            with contextlib.suppress(
                errors.DuplicateObject, errors.UniqueViolation, errors.InsufficientPrivilege
            ):
                database.execute(create)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """On PostgreSQL, create the test roles and let the owner create the test database."""
    from django.db import connections

    settings_dict = connections["default"].settings_dict
    if _is_postgresql(settings_dict):
        _create_test_roles(settings_dict)
        settings_dict.update(USER=TEST_OWNER_ROLE, PASSWORD=TEST_ROLE_PASSWORD)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """After the owner has migrated the test database, the tests run as the app's role;
    a transactional test's flush runs as the owner, past the log's append-only triggers."""
    from django.db import connection
    from django.test import TransactionTestCase

    from polku.audit.roles import APPEND_ONLY_TABLES, grant_app_role, switch_user

    if not _is_postgresql(connection.settings_dict):
        yield
        return
    with django_db_blocker.unblock():
        grant_app_role(connection, TEST_APP_ROLE)
        switch_user(connection, USER=TEST_APP_ROLE)
    flush = TransactionTestCase._fixture_teardown  # type: ignore[attr-defined]

    def flush_as_owner(self: TransactionTestCase) -> None:
        switch_user(connection, USER=TEST_OWNER_ROLE)
        try:
            tables = set(APPEND_ONLY_TABLES) & set(connection.introspection.table_names())
            with connection.cursor() as cursor:
                for table in sorted(tables):
                    cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            flush(self)
            with connection.cursor() as cursor:
                for table in sorted(tables):
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        finally:
            switch_user(connection, USER=TEST_APP_ROLE)

    TransactionTestCase._fixture_teardown = flush_as_owner  # type: ignore[attr-defined]
    try:
        yield
    finally:
        TransactionTestCase._fixture_teardown = flush  # type: ignore[attr-defined]
        with django_db_blocker.unblock():
            switch_user(connection, USER=TEST_OWNER_ROLE)


@pytest.fixture
def database_owner() -> Iterator[Any]:
    """A cursor on the test database as its owner, to tamper with the log as a database
    administrator would (on SQLite the one connection, which has no roles)."""
    from django.db import connection

    if not _is_postgresql(connection.settings_dict):
        with connection.cursor() as cursor:
            yield cursor
        return
    import psycopg

    settings_dict = connection.settings_dict
    with psycopg.connect(
        dbname=settings_dict["NAME"],
        user=TEST_OWNER_ROLE,
        password=TEST_ROLE_PASSWORD,
        host=settings_dict["HOST"] or None,
        port=settings_dict["PORT"] or None,
        autocommit=True,
    ) as database:
        yield database.cursor()
