"""Reads of employers and the employer engagement log.

The register (employers and their contact people) is shared master data, open to every
professional in client work. The engagement log is read only through
``decisions.visible_employer_contacts``: the acting organisation's own rows.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts.models import User
from polku.core.panels import Panel
from polku.employment.models import ContactMode, Employer, EmployerContact, EmployerContactPerson
from polku.employment.models.employers import employer_name_key
from polku.policy import decisions
from polku.policy.actors import Actor

REGISTER_PAGE_SIZE = 50
BUSINESS_ID_QUERY = re.compile(r"^\d{7}-\d$")
# IPS fidelity expects about six face-to-face employer contacts per coach per week.
FACE_TO_FACE_PER_WEEK = 6


def _require_employer_work(actor: Actor) -> None:
    if not decisions.may_manage_employers(actor):
        raise PermissionDenied(_("Only professionals in client work see the employer register."))


def search_employers(
    actor: Actor, query: str = "", *, include_inactive: bool = False
) -> QuerySet[Employer]:
    """Employers whose name begins with ``query`` (case and accents aside), or the one
    with ``query`` as its business ID; every employer for an empty query."""
    _require_employer_work(actor)
    employers = Employer.objects.select_related("industry", "municipality")
    if not include_inactive:
        employers = employers.filter(is_active=True)
    query = query.strip()
    if BUSINESS_ID_QUERY.match(query):
        return employers.filter(business_id=query)
    if query:
        employers = employers.filter(search_name__startswith=employer_name_key(query))
    return employers.order_by("search_name", "pk")


def employer_for(actor: Actor, employer_id: int) -> Employer:
    """One employer of the register, or 404."""
    _require_employer_work(actor)
    try:
        return Employer.objects.select_related(
            "industry", "industry__parent", "municipality", "organisation"
        ).get(pk=employer_id)
    except Employer.DoesNotExist as missing:
        raise Http404 from missing


def contact_people(actor: Actor, employer: Employer) -> list[EmployerContactPerson]:
    _require_employer_work(actor)
    return list(employer.contact_people.order_by("-is_active", "name", "pk"))


def contact_person_for(actor: Actor, person_id: int) -> EmployerContactPerson:
    _require_employer_work(actor)
    try:
        return EmployerContactPerson.objects.select_related("employer").get(pk=person_id)
    except EmployerContactPerson.DoesNotExist as missing:
        raise Http404 from missing


def visible_contacts(actor: Actor) -> QuerySet[EmployerContact]:
    """The engagement log rows the actor may see (their organisation's own)."""
    return EmployerContact.objects.filter(decisions.visible_employer_contacts(actor))


def employer_contacts(actor: Actor, employer: Employer) -> QuerySet[EmployerContact]:
    """The actor's organisation's contacts with ``employer``, newest first."""
    return (
        visible_contacts(actor)
        .filter(employer=employer)
        .select_related("coach", "contact_person")
        .order_by("-date", "-pk")
    )


def contact_for(actor: Actor, contact_id: int) -> EmployerContact:
    """One row of the engagement log, or 404 if it is not the actor's organisation's: the
    refusal does not reveal that the row exists."""
    try:
        return (
            visible_contacts(actor)
            .select_related("employer", "coach", "contact_person")
            .get(pk=contact_id)
        )
    except EmployerContact.DoesNotExist as missing:
        raise Http404 from missing


def coach_contacts(actor: Actor, coach: User, start: date, end: date) -> QuerySet[EmployerContact]:
    """``coach``'s contacts from ``start`` to ``end`` (inclusive) that the actor may see."""
    return (
        visible_contacts(actor)
        .filter(coach=coach, date__gte=start, date__lte=end)
        .select_related("employer", "contact_person")
        .order_by("-date", "-pk")
    )


@dataclass(frozen=True)
class WeekCount:
    """A coach's employer contacts in one ISO week (within the period asked for)."""

    year: int
    week: int
    monday: date
    contacts: int
    face_to_face: int

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def meets_face_to_face_target(self) -> bool:
        return self.face_to_face >= FACE_TO_FACE_PER_WEEK


def contacts_per_week(actor: Actor, coach: User, start: date, end: date) -> list[WeekCount]:
    """For each ISO week that overlaps ``start``–``end``, oldest first, how many contacts
    ``coach`` recorded on days of the period in that week, and how many of those were face
    to face. Weeks without contacts are included (with zeros): a week with no contact is a
    figure too. Only rows the actor may see are counted."""
    if end < start:
        return []
    rows = coach_contacts(actor, coach, start, end).values_list("date", "mode")
    contacts: Counter[date] = Counter()
    face_to_face: Counter[date] = Counter()
    for day, mode in rows:
        monday = day - timedelta(days=day.weekday())
        contacts[monday] += 1
        if mode == ContactMode.FACE_TO_FACE:
            face_to_face[monday] += 1
    weeks = []
    monday = start - timedelta(days=start.weekday())
    while monday <= end:
        year, week, _weekday = monday.isocalendar()
        weeks.append(
            WeekCount(
                year=year,
                week=week,
                monday=monday,
                contacts=contacts[monday],
                face_to_face=face_to_face[monday],
            )
        )
        monday += timedelta(days=7)
    return weeks


@dataclass(frozen=True)
class ContactCount:
    """How many employer contacts one coach recorded for an organisation on one day, and
    how many of those were face to face."""

    coach_id: int
    date: date
    contacts: int
    face_to_face: int


def organisation_contact_counts(organisation_id: int, start: date, end: date) -> list[ContactCount]:
    """Each coach's employer contacts per day from ``start`` to ``end`` (inclusive) in the
    engagement log of the organisation ``organisation_id``, for figures of the whole
    organisation (the caller has asked the policy whose figures the actor may read:
    ``decisions.may_read_employment_outcomes``). Counts only, one query whatever the number
    of coaches; days without contacts are left out."""
    rows = (
        EmployerContact.objects.filter(organisation_id=organisation_id, date__range=(start, end))
        .values("coach_id", "date")
        .annotate(
            contacts=Count("pk"),
            face_to_face=Count("pk", filter=Q(mode=ContactMode.FACE_TO_FACE)),
        )
        .order_by("coach_id", "date")
    )
    return [ContactCount(**row) for row in rows]


def employer_work_panel(*, actor: Actor) -> Panel | None:
    """The worklist's panel for professionals in client work: this week's employer contacts
    of the signed-in coach, and the way to the employer register."""
    if not decisions.may_manage_employers(actor) or actor.user is None:
        return None
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    (week,) = contacts_per_week(actor, actor.user, monday, today)
    return Panel(
        "employment/employers/panel.html",
        {"week": week, "target": FACE_TO_FACE_PER_WEEK},
    )
