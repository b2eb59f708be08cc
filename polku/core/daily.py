"""The daily background work that capabilities register, queued by one command, and the
way such work walks the whole country: client by client in chunks, each chunk its own
transaction, so that one bad record is reported and skipped instead of stopping the work
for everyone else.

A job reports what it skipped on the ``polku.jobs`` logger with its name and the public id
of the record, never personal data, and never the error's message either, which may quote
the values of the row (a database's "Key (...)=(...)" detail).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from uuid import UUID

from django.db import transaction
from django.db.models import QuerySet

logger = logging.getLogger("polku.jobs")

CLIENTS_PER_CHUNK = 1000

Result = TypeVar("Result")

_daily: list[Any] = []


def register(task: Any) -> None:
    """Register a django-tasks task to be queued every day by ``enqueue_daily_tasks``."""
    if task not in _daily:
        _daily.append(task)


def tasks() -> list[Any]:
    return list(_daily)


def report_skipped(job: str, record: str, public_id: UUID | str, error: BaseException) -> None:
    """Say that ``job`` skipped one record (``record`` names its kind) and why, in kind."""
    logger.error(
        "%(job)s skipped %(record)s %(public_id)s: %(error)s",
        {"job": job, "record": record, "public_id": public_id, "error": type(error).__name__},
    )


def id_chunks(ids: QuerySet[Any], size: int = CLIENTS_PER_CHUNK) -> Iterator[list[int]]:
    """The primary keys of ``ids`` in ascending lists of at most ``size``, one indexed
    query each; a chunk is every row from its first key to its last."""
    last: int | None = None
    while True:
        page = ids if last is None else ids.filter(pk__gt=last)
        chunk = list(page.order_by("pk").values_list("pk", flat=True)[:size])
        if not chunk:
            return
        yield chunk
        last = chunk[-1]


@dataclass
class ChunkedRun(Generic[Result]):
    """What the committed chunks returned, and how many keys were skipped whole."""

    results: list[Result] = field(default_factory=list)
    skipped: int = 0


def run_in_chunks(
    *,
    job: str,
    chunks: Iterable[list[int]],
    work: Callable[[int, int], Result],
    public_id: Callable[[int], UUID | str],
    record: str = "client",
) -> ChunkedRun[Result]:
    """Run ``work(first, last)`` for each chunk of keys in a transaction of its own, and
    return the results of the chunks that were committed.

    A chunk that fails is rolled back alone and run again key by key, so that only the
    record that fails is skipped and reported (by ``public_id`` of its key); the chunks
    before and after it keep what they did.
    """
    run: ChunkedRun[Result] = ChunkedRun()
    for chunk in chunks:
        try:
            with transaction.atomic():
                run.results.append(work(chunk[0], chunk[-1]))
            continue
        except Exception as error:
            if len(chunk) == 1:
                report_skipped(job, record, public_id(chunk[0]), error)
                run.skipped += 1
                continue
            logger.warning(
                "%(job)s: a chunk of %(count)s failed (%(error)s); running it one by one",
                {"job": job, "count": len(chunk), "error": type(error).__name__},
            )
        for key in chunk:
            try:
                with transaction.atomic():
                    run.results.append(work(key, key))
            except Exception as error:
                report_skipped(job, record, public_id(key), error)
                run.skipped += 1
    return run
