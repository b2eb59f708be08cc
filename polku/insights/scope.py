"""What an insight figure counts: an area, a period and filters, over the clients the policy
gives the reader (``decisions.insight_clients``; for a project, its participants to those
who may read the project). Every selector of the insight pages starts from
``counted_clients`` or ``counted_episodes``, so no figure can count a client the reader's
scope leaves out.

Areas: the whole country, a wellbeing services county, an employment area or a
municipality (by the client's municipality of residence as recorded now; a client under a
non-disclosure for personal safety counts in the whole country only), or a funded
project (its participants). Filters: the kind of organisation giving the service (on
episodes), the client's age band on the period's last day, gender and preferred language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import models
from django.db.models import Case, Q, QuerySet, Value, When
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from polku.clients.models import Client
from polku.measures.schedules import add_months
from polku.pathways.models import Episode
from polku.policy import decisions
from polku.policy.actors import Actor
from polku.projects.models import Participant, Project


class AreaKind(models.TextChoices):
    COUNTRY = "country", _("Whole country")
    WELLBEING_COUNTY = "county", _("Wellbeing services county")
    EMPLOYMENT_AREA = "employment_area", _("Employment area")
    MUNICIPALITY = "municipality", _("Municipality")
    PROJECT = "project", _("Project")


@dataclass(frozen=True)
class AgeBand:
    key: str
    label: str | Promise
    youngest: int | None  # age in whole years on the period's last day, both included
    oldest: int | None


AGE_BANDS = (
    AgeBand("under_25", _("Under 25"), None, 24),
    AgeBand("25_34", _("25–34"), 25, 34),
    AgeBand("35_44", _("35–44"), 35, 44),
    AgeBand("45_54", _("45–54"), 45, 54),
    AgeBand("55_plus", _("55 and over"), 55, None),
)
AGE_BAND_BY_KEY = {band.key: band for band in AGE_BANDS}


@dataclass(frozen=True)
class Area:
    kind: str = AreaKind.COUNTRY
    # The code of the county, employment area or municipality; a project's public id.
    code: str = ""


@dataclass(frozen=True)
class Filters:
    organisation_kind: str = ""  # accounts.OrganisationKind, on the episode's organisation
    age_band: str = ""  # a key of AGE_BANDS
    gender: str = ""  # clients.Gender
    language: str = ""  # the client's preferred language


@dataclass(frozen=True)
class PictureQuery:
    area: Area
    starts_on: date
    ends_on: date
    filters: Filters = field(default_factory=Filters)


def born_between(band: AgeBand, on: date, *, prefix: str = "") -> Q:
    """Clients whose age in whole years on ``on`` is within ``band`` (``prefix`` leads to
    the client from another model, e.g. ``"client__"``)."""
    condition = Q()
    if band.youngest is not None:
        # At least ``youngest`` years old: born on or before that birthday.
        condition &= Q(**{f"{prefix}birth_date__lte": add_months(on, -12 * band.youngest)})
    if band.oldest is not None:
        # Not yet ``oldest + 1``: born after the day that would make them so.
        condition &= Q(**{f"{prefix}birth_date__gt": add_months(on, -12 * (band.oldest + 1))})
    return condition


def age_band_key(on: date, *, prefix: str = "") -> Case:
    """The key of the client's age band (``AGE_BANDS``) on ``on``, as an expression: every
    client is in exactly one band."""
    return Case(
        *(When(born_between(band, on, prefix=prefix), then=Value(band.key)) for band in AGE_BANDS),
        default=Value(""),
        output_field=models.CharField(),
    )


def _client_conditions(actor: Actor, query: PictureQuery, client: str = "") -> Q | None:
    """The counted clients as a filter: on clients themselves (``client`` empty) or on rows
    about a client through their field ``client`` (episodes: "client"), so that a query of
    such rows joins the client once instead of testing its key against a list of clients.
    None when the reader may not read the area at all."""

    def on(name: str) -> str:
        return f"{client}__{name}" if client else name

    key = on("pk")
    area = query.area
    if area.kind == AreaKind.PROJECT:
        project = Project.objects.filter(public_id=decisions.public_id_or_404(area.code)).first()
        scope = decisions.insight_clients_of_project(actor, project) if project else None
        if scope is None:
            return None
        participants = Participant.objects.filter(project=project).values("client_id")
        within = Q(**{f"{key}__in": participants})
    else:
        scope = decisions.insight_clients(actor, client_field=key)
        if scope is None:
            return None
        within = {
            AreaKind.COUNTRY: Q(),
            AreaKind.WELLBEING_COUNTY: Q(**{on("municipality__wellbeing_county_id"): area.code}),
            AreaKind.EMPLOYMENT_AREA: Q(**{on("municipality__employment_area_id"): area.code}),
            AreaKind.MUNICIPALITY: Q(**{on("municipality_id"): area.code}),
        }[AreaKind(area.kind)]
        if area.kind != AreaKind.COUNTRY:
            # A client under a non-disclosure for personal safety lives in an unknown
            # municipality for every statistic (``clients.models.statistical_municipality``):
            # counted in the whole country only, no area places them.
            within &= Q(**{on("non_disclosure_organisation__isnull"): True})
    conditions = scope & within & Q(**{on("merged_into__isnull"): True})
    filters = query.filters
    if filters.gender:
        conditions &= Q(**{on("gender"): filters.gender})
    if filters.language:
        conditions &= Q(**{on("preferred_language"): filters.language})
    if filters.age_band:
        band = AGE_BAND_BY_KEY[filters.age_band]
        conditions &= born_between(band, query.ends_on, prefix=f"{client}__" if client else "")
    return conditions


def counted_clients(actor: Actor, query: PictureQuery) -> QuerySet[Client]:
    """The clients a figure of ``query`` may count for ``actor``: in the reader's scope and
    the area, not merged into another record, of the chosen age band (on the period's last
    day), gender and language. Empty when the reader may not read the area."""
    conditions = _client_conditions(actor, query)
    if conditions is None:
        return Client.objects.none()
    return Client.objects.filter(conditions)


def counted_episodes(actor: Actor, query: PictureQuery) -> QuerySet[Episode]:
    """The episodes of the counted clients, given by an organisation of the chosen kind;
    any time (each figure picks its dates)."""
    conditions = _client_conditions(actor, query, client="client")
    if conditions is None:
        return Episode.objects.none()
    episodes = Episode.objects.filter(conditions)
    if query.filters.organisation_kind:
        episodes = episodes.filter(organisation__kind=query.filters.organisation_kind)
    return episodes


def active_during(starts_on: date, ends_on: date, *, prefix: str = "") -> Q:
    """Episodes under way at some time between the two days (both included)."""
    return Q(**{f"{prefix}started_on__lte": ends_on}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gte": starts_on})
    )
