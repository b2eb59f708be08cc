"""Reads of the background figures: the totals that rates per 1,000 are computed
against, and what is loaded (for the import page). Public statistics of areas: no
policy scope and no access-log rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Sum

from polku.core.models import Municipality
from polku.insights.enums import BackgroundKind
from polku.insights.models import BackgroundFigure, BackgroundImport


@dataclass(frozen=True)
class BackgroundTotal:
    """One kind of figure summed over the municipalities asked about, for the latest
    period any of them has: ``value`` is None when none has a figure. A rate against it
    is honest only when ``complete``: every municipality asked about has the period."""

    kind: BackgroundKind
    value: int | None
    year: int | None
    month: int | None
    municipalities_with: int
    municipalities_asked: int

    @property
    def period(self) -> str:
        return period_label(self.year, self.month)

    @property
    def complete(self) -> bool:
        return self.value is not None and self.municipalities_with == self.municipalities_asked


@dataclass(frozen=True)
class BackgroundTotals:
    population: BackgroundTotal
    unemployed: BackgroundTotal
    long_term_unemployed: BackgroundTotal


def background_totals(municipality_codes: Iterable[str] | None, on: date) -> BackgroundTotals:
    """The population at the end of the latest year up to ``on``'s year, and the
    unemployed jobseekers and the long-term unemployed at the end of the latest month up
    to ``on``'s month, each summed over ``municipality_codes`` (None: every municipality)
    with the period it is of and how many of the municipalities have it."""
    figures = BackgroundFigure.objects.all()
    if municipality_codes is None:
        asked = Municipality.objects.count()
    else:
        codes = set(municipality_codes)
        asked = len(codes)
        figures = figures.filter(municipality_id__in=codes)
    return BackgroundTotals(
        population=_total(
            figures, BackgroundKind.POPULATION, Q(year__lte=on.year), asked, monthly=False
        ),
        unemployed=_total(
            figures, BackgroundKind.UNEMPLOYED, _up_to_month(on), asked, monthly=True
        ),
        long_term_unemployed=_total(
            figures, BackgroundKind.LONG_TERM_UNEMPLOYED, _up_to_month(on), asked, monthly=True
        ),
    )


def _up_to_month(on: date) -> Q:
    return Q(year__lt=on.year) | Q(year=on.year, month__lte=on.month)


def _total(
    figures: QuerySet[BackgroundFigure],
    kind: BackgroundKind,
    up_to: Q,
    asked: int,
    *,
    monthly: bool,
) -> BackgroundTotal:
    of_kind = figures.filter(up_to, kind=kind)
    latest = of_kind.order_by("-year", "-month").values_list("year", "month").first()
    if latest is None:
        return BackgroundTotal(kind, None, None, None, 0, asked)
    year, month = latest
    totals = of_kind.filter(year=year, month=month if monthly else None).aggregate(
        value=Sum("value"), count=Count("municipality", distinct=True)
    )
    return BackgroundTotal(kind, totals["value"], year, month, totals["count"], asked)


def period_label(year: int | None, month: int | None) -> str:
    """A period as pages show it: "2024" for a year, "3/2024" for a month."""
    if year is None:
        return ""
    return str(year) if month is None else f"{month}/{year}"


def per_thousand(count: int | None, base: int | None) -> Decimal | None:
    """``count`` per 1,000 of ``base``, to one decimal (half up); None when either is
    missing or the base is zero."""
    if count is None or not base:
        return None
    return (Decimal(count) * 1000 / Decimal(base)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class LoadedKind:
    """What is loaded of one kind: its latest period and how many municipalities have it."""

    kind: BackgroundKind
    year: int | None
    month: int | None
    municipalities: int

    @property
    def period(self) -> str:
        return period_label(self.year, self.month)


def loaded_kinds() -> list[LoadedKind]:
    """For each kind of figure, the latest period loaded and its number of municipalities."""
    loaded = []
    for kind in BackgroundKind:
        of_kind = BackgroundFigure.objects.filter(kind=kind)
        latest = of_kind.order_by("-year", "-month").values_list("year", "month").first()
        if latest is None:
            loaded.append(LoadedKind(kind, None, None, 0))
            continue
        year, month = latest
        loaded.append(LoadedKind(kind, year, month, of_kind.filter(year=year, month=month).count()))
    return loaded


def recent_imports(limit: int = 20) -> list[BackgroundImport]:
    """The latest imports, newest first."""
    return list(BackgroundImport.objects.order_by("-imported_at", "-pk")[:limit])
