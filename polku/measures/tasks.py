"""Background work of the measures app."""

from __future__ import annotations

from django_tasks import task

from polku.measures import schedules
from polku.policy.actors import Actor


@task()
def schedule_measurements() -> dict[str, int]:
    """Create the measurements that came due today and send the reminders."""
    report = schedules.schedule_measurements(actor=Actor.system(schedules.JOB))
    return {"created": report.created, "reminders": report.reminders, "skipped": report.skipped}
