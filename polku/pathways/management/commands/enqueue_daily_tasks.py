from typing import Any

from django.core.management.base import BaseCommand

from polku.pathways.tasks import refresh_alerts


class Command(BaseCommand):
    help = "Put the daily background work on the task queue (run from cron or a timer)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = refresh_alerts.enqueue()
        self.stdout.write(f"Queued alert refresh as task {result.id}.")
