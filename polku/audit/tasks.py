"""Background work of the access log, run by the database-backed task queue."""

from __future__ import annotations

from django_tasks import task

from polku.audit.sealing import seal_access_log


@task()
def seal_log() -> dict[str, int]:
    """Seal the rows that have become final since the last run (see ``audit.sealing``)."""
    report = seal_access_log()
    return {"seals": report.seals, "rows": report.rows, "horizon": report.horizon}
