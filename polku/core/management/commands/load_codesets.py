from typing import Any

from django.core.management.base import BaseCommand, CommandError

from polku.core.codesets import CodeSetError, load_all


class Command(BaseCommand):
    help = "Load the code sets shipped with Polku (municipalities, counties, areas)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            results = load_all()
        except CodeSetError as error:
            raise CommandError(
                f"Code set {error.codeset} was not loaded:\n  " + "\n  ".join(error.problems)
            ) from error
        for name, count in results.items():
            state = "up to date" if count is None else f"{count} rows loaded"
            self.stdout.write(f"{name}: {state}")
