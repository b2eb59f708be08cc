from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from polku.clients import identity_storage
from polku.clients.models import Client


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored identity code with the first key of POLKU_IDENTITY_KEYS and "
        "recompute the lookup hashes with POLKU_IDENTITY_LOOKUP_KEY. Run after putting a new "
        "key first; remove the old key from the list only after this has finished."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size = options["batch_size"]
        last_pk, total = 0, 0
        while True:
            with transaction.atomic():
                batch = list(
                    Client.objects.select_for_update()
                    .filter(pk__gt=last_pk)
                    .exclude(identity_code_encrypted="")
                    .order_by("pk")[:batch_size]
                )
                if not batch:
                    break
                for client in batch:
                    client.set_identity_code(
                        identity_storage.decrypt(client.identity_code_encrypted)
                    )
                Client.objects.bulk_update(batch, ["identity_code_encrypted", "identity_code_hash"])
            last_pk, total = batch[-1].pk, total + len(batch)
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {total} identity codes."))
