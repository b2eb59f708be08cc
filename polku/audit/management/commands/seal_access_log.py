from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from polku.audit.sealing import seal_access_log
from polku.audit.tasks import seal_log


class Command(BaseCommand):
    help = (
        "Seal the access-log rows that have become final (run every few minutes from a "
        "timer; each run seals up to the horizon the previous run saw)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the sealing task instead of sealing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = seal_log.enqueue()
            self.stdout.write(f"Queued {seal_log.name} as task {result.id}.")
            return
        report = seal_access_log()
        self.stdout.write(
            f"Sealed {report.rows} rows in {report.seals} seals (horizon {report.horizon})."
        )
