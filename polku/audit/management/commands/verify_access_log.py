from typing import Any

from django.core.management.base import BaseCommand, CommandError

from polku.audit.services import verify_chain


class Command(BaseCommand):
    help = "Prove that the access log's hash chain is intact, or name the first broken row."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if not report.intact:
            raise CommandError(
                f"The access log is broken at row {report.first_broken}: {report.problem}. "
                f"{report.checked} rows before it are intact."
            )
        self.stdout.write(self.style.SUCCESS(f"The access log is intact: {report.checked} rows."))
