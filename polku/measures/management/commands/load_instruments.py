from typing import Any

from django.core.management.base import BaseCommand, CommandError

from polku.measures.definitions import DefinitionError
from polku.measures.services import load_shipped_instruments


class Command(BaseCommand):
    help = "Load the instrument definitions shipped with Polku (all or nothing)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            loaded = load_shipped_instruments()
        except DefinitionError as error:
            raise CommandError(
                "No instrument was loaded:\n  " + "\n  ".join(error.problems)
            ) from error
        for version in loaded:
            self.stdout.write(f"{version.code} {version.version}: loaded")
        if not loaded:
            self.stdout.write("Instruments are up to date.")
