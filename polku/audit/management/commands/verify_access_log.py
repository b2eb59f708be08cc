from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from polku.audit.sealing import verify_access_log


class Command(BaseCommand):
    help = (
        "Recompute every access-log seal and sealed row; name the first changed, removed or "
        "forged row or seal, and report the rows not sealed yet."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_access_log()
        if report.unsealed:
            assert report.oldest_unsealed is not None
            age = timezone.now() - report.oldest_unsealed
            self.stdout.write(
                f"{report.unsealed} rows are not sealed yet; the oldest is "
                f"{int(age.total_seconds() // 60)} minutes old."
            )
        if not report.intact:
            for problem in report.problems[1:20]:
                self.stderr.write(f"  also: {problem}")
            raise CommandError(
                f"The access log has been tampered with: {report.problems[0]} "
                f"({len(report.problems)} problems in {report.seals} seals)."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"The access log is intact: {report.seals} seals cover {report.rows} rows."
            )
        )
