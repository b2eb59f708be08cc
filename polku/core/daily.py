"""The daily background work that capabilities register, queued by one command."""

from __future__ import annotations

from typing import Any

_daily: list[Any] = []


def register(task: Any) -> None:
    """Register a django-tasks task to be queued every day by ``enqueue_daily_tasks``."""
    if task not in _daily:
        _daily.append(task)


def tasks() -> list[Any]:
    return list(_daily)
