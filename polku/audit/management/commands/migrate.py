"""``migrate`` as the database owner, then the application's role gets its privileges.

With ``POLKU_MIGRATION_DATABASE_URL`` set (PostgreSQL), migrations run as that owner role
and the application's role (the user of ``DATABASE_URL``) is granted what it needs; the
access log and its seals stay append-only to it (``polku.audit.roles``). Without it,
``migrate`` behaves as Django's own (development and SQLite).
"""

from __future__ import annotations

from typing import Any

import environ
from django.conf import settings
from django.core.management.commands import migrate
from django.db import DEFAULT_DB_ALIAS, connections

from polku.audit.roles import grant_app_role, switch_user

CREDENTIALS = ("NAME", "USER", "PASSWORD", "HOST", "PORT")


class Command(migrate.Command):
    help = (
        "Migrate as the owner role (POLKU_MIGRATION_DATABASE_URL, if set), then grant the "
        "application's role its privileges."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        owner_url = settings.POLKU_MIGRATION_DATABASE_URL
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if not owner_url or connection.vendor != "postgresql":
            super().handle(*args, **options)
            return
        owner = environ.Env.db_url_config(owner_url)
        app_role = connection.settings_dict["USER"]
        previous = switch_user(connection, **{key: owner[key] for key in CREDENTIALS})
        try:
            super().handle(*args, **options)
            grant_app_role(connection, app_role)
        finally:
            switch_user(connection, **previous)
