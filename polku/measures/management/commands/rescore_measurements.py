from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from polku.measures.models import InstrumentVersion
from polku.measures.services import rescore


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
        report = rescore(instrument)
        self.stdout.write(f"Rescored {report.rescored} answers; {report.changed} changed.")
