"""Client names are searched folded (case and accents): the stored search names of
existing clients are folded again, in batches."""

import unicodedata

from django.db import migrations

BATCH = 2000


def fold(text):
    # As polku.core.text.fold on the day of this migration (a migration keeps its own copy).
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).strip()


def refold(apps, schema_editor):
    Client = apps.get_model("clients", "Client")
    last = 0
    while True:
        batch = list(
            Client.objects.filter(pk__gt=last).order_by("pk").only("pk", "search_name")[:BATCH]
        )
        if not batch:
            return
        changed = [c for c in batch if fold(c.search_name) != c.search_name]
        for client in changed:
            client.search_name = fold(client.search_name)
        Client.objects.bulk_update(changed, ["search_name"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [("clients", "0004_client_non_disclosure")]

    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]
