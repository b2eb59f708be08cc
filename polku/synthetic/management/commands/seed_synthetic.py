import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from polku.synthetic.employment_volume import EmploymentReport, VolumeEmployment
from polku.synthetic.measures import VolumeMeasurements
from polku.synthetic.pathways import DEFAULT_PATHWAY_SHARE, FIRST_PROFESSIONAL_CASES, case_count
from polku.synthetic.projects_volume import seed_volume_projects
from polku.synthetic.volume import (
    DEFAULT_CONSENT_SHARE,
    MIN_CASELOAD,
    SYNTHETIC_PASSWORD,
    VolumeReport,
    VolumeSeeder,
    username_for,
)


class Command(BaseCommand):
    help = (
        "Create synthetic data at volume with bulk inserts, deterministic for a given seed. "
        "Synthetic people only: identity codes use individual numbers 900-999. "
        "With --clients N, also N clients, each served by 1-3 of the seed's organisations, "
        "consents for a share of them and pathways (episodes with phases, case managers, "
        "teams, plans and reviews, journal entries; referrals between organisations) for "
        "--pathway-share of those with an active relationship; then every alert is computed "
        "once. No access-log rows: nothing is accessed. "
        "At the end it names a professional whose organisation serves at least "
        f"{MIN_CASELOAD} clients, to sign in as; the seed's first professional "
        "(synth<seed>-000001) works in one of the largest organisations and is the case "
        f"manager of {FIRST_PROFESSIONAL_CASES} active episodes when there are enough. A seed "
        "already in the database is left alone, so give --clients on the seed's first run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument("--organisations", type=int, default=300)
        parser.add_argument("--professionals", type=int, default=20000)
        parser.add_argument(
            "--clients",
            type=int,
            default=0,
            help="Clients to create, with service relationships, consents and pathways "
            "(default 0).",
        )
        parser.add_argument(
            "--consent-share",
            type=float,
            default=DEFAULT_CONSENT_SHARE,
            help=f"Share of clients given a consent (default {DEFAULT_CONSENT_SHARE}).",
        )
        parser.add_argument(
            "--pathway-share",
            type=float,
            default=DEFAULT_PATHWAY_SHARE,
            help="Share of the clients with an active service relationship given an episode "
            f"(default {DEFAULT_PATHWAY_SHARE}; 0 for no pathway data).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        seed = options["seed"]
        if options["organisations"] < 1 or options["professionals"] < 1:
            raise CommandError("--organisations and --professionals must be at least 1.")
        if options["clients"] < 0:
            raise CommandError("--clients cannot be negative.")
        if not 0 <= options["consent_share"] <= 1:
            raise CommandError("--consent-share must be between 0 and 1.")
        if not 0 <= options["pathway_share"] <= 1:
            raise CommandError("--pathway-share must be between 0 and 1.")
        call_command("load_codesets", stdout=self.stdout)
        seeder = VolumeSeeder(seed=seed)
        if seeder.already_seeded():
            self.stdout.write(f"Seed {seed} is already in the database; nothing to do.")
            if options["clients"]:
                self.stdout.write(
                    "Clients are created only in a seed's first run: use another seed or an "
                    "empty database to get them."
                )
            return
        report = VolumeReport(seed=seed)
        employment: EmploymentReport | None = None
        report.timed("organisations", lambda: seeder.organisations(options["organisations"]))
        report.timed("professionals", lambda: seeder.professionals(options["professionals"]))
        if options["clients"]:
            seeder.clients(
                options["clients"],
                consent_share=options["consent_share"],
                pathway_share=options["pathway_share"],
                report=report,
            )
            if seeder.pathways is not None:
                volume = VolumeMeasurements(seed=seed)
                measured, seconds = volume.create()
                report.add("measurements", measured, seconds)
                report.notes["measurements"] = (
                    f"answered questionnaires as the schedules ask, {volume.answers} answers"
                )
                employment = VolumeEmployment(seed=seed, clients=options["clients"]).create()
                for name, count in employment.counts.items():
                    report.add(name, count, employment.seconds.get(name, 0.0))
                report.notes["coachings"] = (
                    "job coaching of the job-coaching programme's episodes, with its stages, "
                    "contacts and transitions (the seconds are for all of them)"
                )
            seed_volume_projects(seed=seed, clients=options["clients"], report=report)
            report.timed("analyze", seeder.analyze)
            report.notes["analyze"] = "tables whose planner statistics were updated"
            if seeder.pathways is not None:
                started = time.perf_counter()
                alerts = seeder.alerts()
                report.add("alerts", alerts.open, time.perf_counter() - started)
                report.notes["alerts"] = "open, computed once by refresh_alerts()"
        for name, count in report.counts.items():
            note = f" ({report.notes[name]})" if name in report.notes else ""
            self.stdout.write(f"{name}: {count} in {report.seconds[name]:.1f} s{note}")
        self.stdout.write(f"total: {report.total_seconds:.1f} s")
        first = username_for(seed, 1)
        last = username_for(seed, report.counts["professionals"])
        self.stdout.write(f"Synthetic logins: {first} … {last}, password {SYNTHETIC_PASSWORD}")
        example = seeder.caseload_example()
        if example is not None:
            self.stdout.write(
                f"A professional with clients: {example.username} ({example.role.label}, "
                f"{example.organisation}, which serves {example.clients} clients)"
            )
        if seeder.pathways is not None:
            self.stdout.write(
                f"Case manager for the benchmarks: {first}, of {case_count(first)} active episodes"
            )
            if employment is not None and employment.bench_coach:
                self.stdout.write(
                    f"Job coach for the benchmarks: {employment.bench_coach}, "
                    f"{employment.bench_caseload} clients in coaching"
                )
