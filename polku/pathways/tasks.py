"""Background work of the pathways app, run by the database-backed task queue."""

from __future__ import annotations

from django_tasks import task

from polku.pathways import alerts, reminders
from polku.policy.actors import Actor


@task()
def refresh_alerts(client_id: int | None = None) -> dict[str, int]:
    """Recompute the alerts of one client after a change, or of everyone (daily)."""
    report = alerts.refresh_alerts(client_id=client_id, actor=Actor.system(alerts.JOB))
    return {
        "opened": report.opened,
        "cleared": report.cleared,
        "open": report.open,
        "skipped": report.skipped,
    }


@task()
def remind_tasks() -> dict[str, int]:
    """E-mail each owner of plan tasks due tomorrow or earlier, once a day."""
    report = reminders.remind_tasks(actor=Actor.system(reminders.JOB))
    return {"reminded": report.reminded, "skipped": report.skipped}
