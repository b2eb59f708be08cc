from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from polku.synthetic.volume import SYNTHETIC_PASSWORD, VolumeReport, VolumeSeeder, username_for


class Command(BaseCommand):
    help = (
        "Create synthetic data at volume with bulk inserts, deterministic for a given seed. "
        "Synthetic people only: identity codes use individual numbers 900-999."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument("--organisations", type=int, default=300)
        parser.add_argument("--professionals", type=int, default=20000)

    def handle(self, *args: Any, **options: Any) -> None:
        seed = options["seed"]
        if options["organisations"] < 1 or options["professionals"] < 1:
            raise CommandError("--organisations and --professionals must be at least 1.")
        call_command("load_codesets", stdout=self.stdout)
        seeder = VolumeSeeder(seed=seed)
        if seeder.already_seeded():
            self.stdout.write(f"Seed {seed} is already in the database; nothing to do.")
            return
        report = VolumeReport(seed=seed)
        report.timed("organisations", lambda: seeder.organisations(options["organisations"]))
        report.timed("professionals", lambda: seeder.professionals(options["professionals"]))
        for name, count in report.counts.items():
            self.stdout.write(f"{name}: {count} in {report.seconds[name]:.1f} s")
        last = username_for(seed, report.counts["professionals"])
        self.stdout.write(
            f"Synthetic logins: {username_for(seed, 1)} … {last}, password {SYNTHETIC_PASSWORD}"
        )
