"""On PostgreSQL, a trigram index makes name search fast among a million clients.

Name search matches the start of any word of "last first" (``LIKE 'virt%' OR LIKE
'% virt%'``), which a B-tree index cannot serve; a GIN index with ``gin_trgm_ops`` can.
The ``pg_trgm`` extension ships with PostgreSQL and is trusted, so the database owner may
create it. SQLite, the development database, scans instead.
"""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS client_search_name_trgm "
    "ON clients_client USING gin (search_name gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS client_search_name_trgm"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("clients", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
