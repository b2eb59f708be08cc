"""The two PostgreSQL roles: an owner that runs migrations, and the application's role.

The owner owns every table (and so alone could alter or disable the log's triggers). The
application's role reads and writes the other tables but may only INSERT and SELECT the
access log and its seals: it cannot UPDATE, DELETE or TRUNCATE them, nor disable their
triggers (only a table's owner can). ``grant_app_role`` gives the application's role its
privileges; ``migrate`` runs it after migrating as the owner (docs/deployment.md).
"""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

# Append-only: the application's role may add rows and read them, nothing else.
APPEND_ONLY_TABLES = ("audit_accesslogentry", "audit_accesslogseal")
APPEND_ONLY_SEQUENCES = ("audit_accesslog_sequence",)


def grant_app_role(connection: BaseDatabaseWrapper, role: str) -> None:
    """Give ``role`` what the application needs, run as the tables' owner (PostgreSQL)."""
    if connection.vendor != "postgresql" or not role:
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = quote(cursor.fetchone()[0])
        existing = connection.introspection.table_names(cursor)
        append_only = ", ".join(table for table in APPEND_ONLY_TABLES if table in existing)
        statements: list[str] = [
            f"GRANT USAGE ON SCHEMA {schema} TO {quote(role)}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} "
            f"TO {quote(role)}",
            f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {schema} TO {quote(role)}",
            f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {append_only} "
            f"FROM {quote(role)}",
            f"REVOKE UPDATE ON SEQUENCE {', '.join(APPEND_ONLY_SEQUENCES)} FROM {quote(role)}",
        ]
        for statement in statements:
            cursor.execute(statement)


def switch_user(connection: BaseDatabaseWrapper, **credentials: Any) -> dict[str, Any]:
    """Reconnect as other credentials (USER, PASSWORD, ...); return the previous ones."""
    previous = {key: connection.settings_dict.get(key) for key in credentials}
    connection.close()
    connection.settings_dict.update(credentials)
    return previous
