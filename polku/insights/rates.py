"""Rates per 1,000: the clients in service of an area against its background figures
(population, unemployed jobseekers, long-term unemployed: ``background_selectors``), so
that a town of 5,000 and a city of 250,000 can be compared.

A rate is given only when it is honest and safe:
- the area is the country, a wellbeing services county, an employment area or a
  municipality (a project has no residents);
- no filter narrows the clients by gender, age or language, since the background figures
  are of everyone in the area (the kind of organisation may be chosen: the rate is then of
  that kind's clients);
- every municipality of the area has the background figure of the period;
- the count itself is published: a rate of a withheld count would give it away.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from polku.core.models import Municipality
from polku.core.tables import COUNT, RATE, Cell, Table
from polku.insights.background_selectors import BackgroundTotal, background_totals, per_thousand
from polku.insights.scope import AreaKind, PictureQuery


def area_municipalities(query: PictureQuery) -> list[str] | None:
    """The codes of the area's municipalities: None for the whole country."""
    area = query.area
    if area.kind == AreaKind.COUNTRY:
        return None
    field = {
        AreaKind.WELLBEING_COUNTY: "wellbeing_county_id",
        AreaKind.EMPLOYMENT_AREA: "employment_area_id",
        AreaKind.MUNICIPALITY: "code",
    }[AreaKind(area.kind)]
    return list(Municipality.objects.filter(**{field: area.code}).values_list("code", flat=True))


def rates_table(query: PictureQuery, in_service: int, *, published: bool) -> Table | None:
    """Clients in service per 1,000 of each background figure of the area, or None when no
    rate can be given (see the module's rules)."""
    filters = query.filters
    if (
        query.area.kind == AreaKind.PROJECT
        or not published
        or filters.gender
        or filters.age_band
        or filters.language
    ):
        return None
    on: date = query.ends_on
    totals = background_totals(area_municipalities(query), on)
    bases = [
        (_("Per 1,000 residents (population at the end of %(period)s)"), totals.population),
        (_("Per 1,000 unemployed jobseekers (at the end of %(period)s)"), totals.unemployed),
        (
            _("Per 1,000 long-term unemployed (at the end of %(period)s)"),
            totals.long_term_unemployed,
        ),
    ]
    rows = [_rate_row(label, base, in_service) for label, base in bases if base.complete]
    if not rows:
        return None
    return Table(
        key="rates",
        title=_("Clients in service per 1,000"),
        headers=[_("Compared with"), _("Background figure"), _("Clients in service per 1,000")],
        rows=rows,
    )


def _rate_row(label: str, base: BackgroundTotal, in_service: int) -> list[Cell]:
    rate = per_thousand(in_service, base.value)
    return [
        Cell(label % {"period": base.period}),
        Cell(base.value, COUNT),
        Cell(None if rate is None else float(rate), RATE),
    ]
