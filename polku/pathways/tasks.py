"""Background work of the pathways app, run by the database-backed task queue."""

from __future__ import annotations

from django_tasks import task

from polku.pathways import alerts


@task()
def refresh_alerts() -> dict[str, int]:
    """Recompute every alert (daily, and after changes that may open or clear one)."""
    report = alerts.refresh_alerts()
    return {"opened": report.opened, "cleared": report.cleared, "open": report.open}
