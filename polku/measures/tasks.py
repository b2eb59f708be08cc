"""Background work of the measures app."""

from __future__ import annotations

from django_tasks import task

from polku.measures import schedules


@task()
def schedule_measurements() -> dict[str, int]:
    """Create the measurements that came due today and send the reminders."""
    report = schedules.schedule_measurements()
    return {"created": report.created, "reminders": report.reminders}
