from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from polku.insights.background_services import import_background_figures
from polku.policy.actors import Actor

JOB = "insights.import_background_figures"


class Command(BaseCommand):
    help = (
        "Load a CSV file of background figures of municipalities (population by year, or "
        "unemployed and long-term unemployed jobseekers by month; docs/background-figures.md). "
        "A file with any bad row loads nothing, and the command then exits with status 1."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", help="The CSV file.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and tell what it would change, but load nothing.",
        )
        parser.add_argument("--source", default="", help="Where the figures come from.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from error
        report = import_background_figures(
            actor=Actor.system(JOB),
            file_name=path.name,
            content=content,
            dry_run=options["dry_run"],
            source=options["source"],
        )
        for line in report.summary():
            self.stdout.write(line)
        for missing in report.missing:
            self.stdout.write(f"  {missing.row} {missing.column}: {missing.message}")
        for problem in report.problems:
            self.stderr.write(f"  {problem.row} {problem.column}: {problem.message}")
        if report.problems:
            raise CommandError(report.summary()[-1], returncode=1)
