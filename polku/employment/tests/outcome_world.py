"""A small known world for the supervisor's outcome figures, every figure computed by hand
in the tests.

Organisation A (the coaching world's) has two teams: Etelä (job coaches Jaana and Eero)
and Pohjoinen (job coach Pekka); its analyst Anni reads the figures. Organisation B's job
coach Olli coaches and meets employers too, and must never be counted. The period of the
tests is September 2026 (30 days); "today" is 15 October 2026.

Coachings of A (coach, start, end, exit transition):

=====  =======  ==========  ==========  ==================
 no.   coach    started     ended       exit
=====  =======  ==========  ==========  ==================
 1     Jaana    2026-08-01  –           –
 2     Jaana    2026-07-01  2026-09-10  open-market work
 3     Pekka    2026-09-05  –           –
 4     Pekka    2026-06-01  2026-09-30  education
 5     Pekka    2026-10-01  –           –
 6     Jaana    2026-05-01  2026-08-20  unemployed
 7     Jaana    2025-10-01  2026-01-31  open-market work
=====  =======  ==========  ==========  ==================

Placements (coaching, kind, start, end, reason):

====  ========  ==========  ==========  ==================
 P1   1 job     2026-09-01  –           –
 P2   2 job     2026-07-06  2026-09-08  resigned
 P3   4 job     2026-06-15  –           –
 P4   3 studies 2026-09-10  –           –
 P5   4 job     2026-07-01  2026-10-05  fixed term ended
 P7   7 job     2026-01-05  2026-09-25  health (after its coaching ended)
====  ========  ==========  ==========  ==================

Employer contacts of A: Jaana 12 in September (6 face to face), one phone call on
31 August and one on 1 October; Pekka 35 in September (30 face to face); Eero none. B's
Olli: 20 face to face in September.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from polku.accounts.enums import Role
from polku.accounts.models import Membership, Organisation, Unit, User
from polku.core.models import Municipality
from polku.employment import coaching_services
from polku.employment.coaching_enums import TransitionKind
from polku.employment.models import Coaching, ContactMode, ContactPurpose, Employer, EmployerContact
from polku.employment.placement_enums import EndReason, PlacementKind
from polku.employment.tests.coaching_world import World, make_world
from polku.employment.tests.placement_fixtures import make_placement
from polku.pathways import services as pathways_services
from polku.policy.actors import Actor
from polku.policy.enums import Purpose

TODAY = date(2026, 10, 15)
SEPTEMBER = date(2026, 9, 1)
MEMBERS_FROM = date(2026, 1, 1)


@dataclass
class OutcomeWorld:
    world: World
    south: Unit
    north: Unit
    jaana: User
    eero: User
    pekka: User
    olli: User
    analyst: User
    employer: Employer
    coachings: dict[int, Coaching] = field(default_factory=dict)
    _numbers: int = 0

    @property
    def org_a(self) -> Organisation:
        return self.world.org_a

    @property
    def org_b(self) -> Organisation:
        return self.world.org_b

    def actor(self, user: User) -> Actor:
        return Actor.for_user(user).for_purpose(Purpose.EMPLOYMENT_SUPPORT)

    def coaching(
        self,
        coach: User,
        started_on: date,
        ended_on: date | None = None,
        exit_: TransitionKind | None = None,
    ) -> Coaching:
        """A coaching of a new client of the coach's organisation, ended if ``ended_on``."""
        self._numbers += 1
        organisation = Membership.objects.get(user=coach).organisation
        world = self.world
        client = world.new_client(self._numbers)
        episode = pathways_services.open_episode(
            actor=world.actor(),
            client=client,
            programme=world.programme,
            organisation=world.org_a,
            started_on=started_on,
        )
        coaching = coaching_services.start_coaching(
            actor=self.actor(world.coach),
            episode=episode,
            coach=coach if organisation == world.org_a else world.coach,
            started_on=started_on,
        )
        if organisation != world.org_a:
            # B's own coaching of its own episode: A's figures must never count it.
            episode.organisation = organisation
            episode.save(update_fields=["organisation"])
            Coaching.objects.filter(pk=coaching.pk).update(organisation=organisation, coach=coach)
            coaching.refresh_from_db()
        if ended_on is not None:
            coaching_services.end_coaching(
                actor=self.actor(world.coach),
                coaching=coaching,
                transition=exit_ or TransitionKind.UNKNOWN,
                ended_on=ended_on,
            )
            coaching.refresh_from_db()
        return coaching

    def contacts(
        self, coach: User, day: date, count: int, mode: ContactMode = ContactMode.FACE_TO_FACE
    ) -> None:
        """``count`` contacts of ``coach`` with the employer, one a day from ``day``."""
        organisation = Membership.objects.get(user=coach).organisation
        EmployerContact.objects.bulk_create(
            EmployerContact(
                date=day + timedelta(days=n % 28),
                coach=coach,
                organisation=organisation,
                employer=self.employer,
                mode=mode,
                purpose=ContactPurpose.JOB_DEVELOPMENT,
            )
            for n in range(count)
        )


def make_outcome_world(
    make_organisation: Callable[..., Organisation], make_professional: Callable[..., User]
) -> OutcomeWorld:
    world = make_world(make_organisation, make_professional)
    south = Unit.objects.create(organisation=world.org_a, name="Etelä")
    north = Unit.objects.create(organisation=world.org_a, name="Pohjoinen")
    eero = make_professional("eero", Role.JOB_COACH, world.org_a, first_name="Eero")
    pekka = make_professional("pekka", Role.JOB_COACH, world.org_a, first_name="Pekka")
    for user, unit in ((world.coach, south), (eero, south), (pekka, north)):
        Membership.objects.filter(user=user).update(unit=unit)
    Membership.objects.update(valid_from=MEMBERS_FROM)
    employer = Employer.objects.create(
        name="Pirkan Puutarha Oy",
        municipality=Municipality.objects.get(pk="837"),
        created_by_organisation=world.org_a,
    )
    found = OutcomeWorld(
        world=world,
        south=south,
        north=north,
        jaana=world.coach,
        eero=eero,
        pekka=pekka,
        olli=world.other_coach,
        analyst=world.analyst,
        employer=employer,
    )
    jaana, olli = world.coach, world.other_coach
    exit_ = TransitionKind
    for number, (coach, started, ended, kind) in enumerate(
        [
            (jaana, date(2026, 8, 1), None, None),
            (jaana, date(2026, 7, 1), date(2026, 9, 10), exit_.OPEN_MARKET_WORK),
            (pekka, date(2026, 9, 5), None, None),
            (pekka, date(2026, 6, 1), date(2026, 9, 30), exit_.EDUCATION),
            (pekka, date(2026, 10, 1), None, None),
            (jaana, date(2026, 5, 1), date(2026, 8, 20), exit_.UNEMPLOYED),
            (jaana, date(2025, 10, 1), date(2026, 1, 31), exit_.OPEN_MARKET_WORK),
        ],
        start=1,
    ):
        found.coachings[number] = found.coaching(coach, started, ended, kind)
    olli_coaching = found.coaching(olli, date(2026, 8, 1))
    c = found.coachings
    job, studies = PlacementKind.JOB, PlacementKind.EDUCATION
    for coaching, placement_kind, started, ended, reason in [
        (c[1], job, date(2026, 9, 1), None, ""),
        (c[2], job, date(2026, 7, 6), date(2026, 9, 8), EndReason.RESIGNED),
        (c[4], job, date(2026, 6, 15), None, ""),
        (c[3], studies, date(2026, 9, 10), None, ""),
        (c[4], job, date(2026, 7, 1), date(2026, 10, 5), EndReason.FIXED_TERM_ENDED),
        (c[7], job, date(2026, 1, 5), date(2026, 9, 25), EndReason.HEALTH),
        # B's: never counted for A.
        (olli_coaching, job, date(2026, 9, 2), date(2026, 9, 20), EndReason.DISMISSED),
    ]:
        make_placement(coaching, employer, started, ended, reason, placement_kind)
    found.contacts(jaana, SEPTEMBER, 6)
    found.contacts(jaana, SEPTEMBER, 6, ContactMode.PHONE)
    found.contacts(jaana, date(2026, 8, 31), 1, ContactMode.PHONE)
    found.contacts(jaana, date(2026, 10, 1), 1, ContactMode.PHONE)
    found.contacts(pekka, SEPTEMBER, 30)
    found.contacts(pekka, SEPTEMBER, 5, ContactMode.EMAIL)
    found.contacts(olli, SEPTEMBER, 20)
    return found
