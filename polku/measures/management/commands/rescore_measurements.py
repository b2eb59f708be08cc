from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from polku.measures.models import InstrumentVersion
from polku.measures.services import RescoreReport, rescore

BATCH = 5000
PROGRESS_EVERY = 50_000


class Command(BaseCommand):
    help = "Score the complete answers of one instrument version again, in batches."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code")
        parser.add_argument("version")

    def handle(self, *args: Any, **options: Any) -> None:
        instrument = InstrumentVersion.objects.filter(
            code=options["code"], version=options["version"]
        ).first()
        if instrument is None:
            raise CommandError(f"No instrument {options['code']} {options['version']}.")
        total = instrument.administrations.filter(status="complete").count()
        self.stdout.write(f"Re-scoring {total} answers of {instrument}…")

        def progress(report: RescoreReport) -> None:
            if options["verbosity"] >= 1 and report.rescored % PROGRESS_EVERY < BATCH:
                self.stdout.write(f"  {report.rescored}/{total}, {report.changed} changed")

        report = rescore(instrument, batch_size=BATCH, progress=progress)
        self.stdout.write(f"Rescored {report.rescored} answers; {report.changed} changed.")
