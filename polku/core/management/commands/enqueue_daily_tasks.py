from typing import Any

from django.core.management.base import BaseCommand

from polku.core import daily


class Command(BaseCommand):
    help = "Put the daily background work on the task queue (run from cron or a timer)."

    def handle(self, *args: Any, **options: Any) -> None:
        for task in daily.tasks():
            result = task.enqueue()
            self.stdout.write(f"Queued {task.name} as task {result.id}.")
