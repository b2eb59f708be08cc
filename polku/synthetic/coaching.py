"""Job coaching for the demo: the demo job coach's caseload, written through the
coaching services as the coach would (so that the access log has the rows real use would
leave). Idempotent: a coach who has coachings already is left alone.

The job coach of Askel eteenpäin ry coaches the clients of its two job-coaching episodes:
one found work and has follow-along support; the other's first coaching ended when they
went to a course (education, the exit transition; its follow-ups fall due 3 and 6 months
later), and a new coaching has reached the job search, its next step late. No episode is
added: the demo's pathways stay as ``synthetic.pathways`` tells them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from django.utils import timezone

from polku.accounts.models import Organisation, User
from polku.employment import coaching_services as services
from polku.employment.coaching_enums import ContactKind, Stage, TransitionKind
from polku.employment.models import Coaching
from polku.pathways.models import Episode
from polku.policy.actors import Actor
from polku.policy.enums import Purpose
from polku.synthetic.demo import NGO

COACH = "tyohonvalmentaja"


def seed_demo_coaching() -> int:
    """The demo job coach's caseload; the number of coachings started now."""
    coach = User.objects.filter(username=COACH).first()
    if coach is None or Coaching.objects.filter(coach=coach).exists():
        return 0
    organisation = Organisation.objects.get(name=NGO)
    actor = Actor.for_user(coach).for_purpose(Purpose.EMPLOYMENT_SUPPORT)
    today = timezone.localdate()

    def ago(days: int) -> date:
        return today - timedelta(days=days)

    episodes = list(
        Episode.objects.active()
        .filter(organisation=organisation, programme__code="job-coaching")
        .select_related("client")
        .order_by("started_on")
    )
    stories = [_in_work, _back_from_a_course]
    for episode, story in zip(episodes, stories, strict=False):
        story(actor, coach, episode, ago)
    return Coaching.objects.filter(coach=coach).count()


def _in_work(actor: Actor, coach: User, episode: Episode, ago: Callable[[int], date]) -> None:
    """Found work in a logistics centre; follow-along support at the workplace."""
    coaching = services.start_coaching(
        actor=actor, episode=episode, coach=coach, started_on=episode.started_on
    )
    services.update_profile(
        actor=actor,
        coaching=coaching,
        job_preferences="Haluan varastotöihin, mieluiten aamuvuoroon ja lähelle kotia.",
        strengths="Olen täsmällinen ja tykkään tehdä töitä käsillä.",
        supports_needed="Työtehtävät kirjallisena ja sovittu henkilö, jolta voi kysyä.",
        next_step="Kolmikantatapaaminen työpaikalla esihenkilön kanssa",
        next_step_on=ago(-6),
    )
    services.change_stage(
        actor=actor, coaching=coaching, stage=Stage.JOB_SEARCH, started_on=coaching.started_on
    )
    services.change_stage(actor=actor, coaching=coaching, stage=Stage.IN_WORK, started_on=ago(25))
    for days, kind, note in (
        (40, ContactKind.MEETING, "Käytiin läpi avoimia paikkoja, kaksi hakemusta."),
        (26, ContactKind.PHONE, "Työnantaja soitti: haastattelu sovittu."),
        (9, ContactKind.AT_WORKPLACE, "Ensimmäiset viikot sujuneet, vuorolista selkeytetty."),
    ):
        services.record_contact(
            actor=actor, coaching=coaching, kind=kind, contacted_on=ago(days), note=note
        )


def _back_from_a_course(
    actor: Actor, coach: User, episode: Episode, ago: Callable[[int], date]
) -> None:
    """A first coaching ended when the client went to a course; back, a new one is in the
    job search for graphic design, its next step already late."""
    first = services.start_coaching(
        actor=actor, episode=episode, coach=coach, started_on=episode.started_on
    )
    services.update_profile(
        actor=actor,
        coaching=first,
        job_preferences="Jotain luovaa, mutta en tiedä vielä mitä.",
        strengths="Piirrän ja taitan.",
        supports_needed="Tauot työpäivän aikana.",
        next_step="",
        next_step_on=None,
    )
    services.record_contact(
        actor=actor,
        coaching=first,
        kind=ContactKind.MEETING,
        contacted_on=ago(45),
        note="Hakee taittokurssille, valmennus tauolle kurssin ajaksi.",
    )
    services.end_coaching(
        actor=actor, coaching=first, transition=TransitionKind.EDUCATION, ended_on=ago(40)
    )
    coaching = services.start_coaching(
        actor=actor, episode=episode, coach=coach, started_on=ago(14)
    )
    services.update_profile(
        actor=actor,
        coaching=coaching,
        job_preferences="Graafinen suunnittelu tai painotalo, osa-aikaisesti aluksi.",
        strengths="Piirrän ja taitan, osaan nyt kuvankäsittelyohjelmat.",
        supports_needed="Tauot työpäivän aikana ja rauhallinen työtila.",
        next_step="Työkokeilupaikan haku kahteen painotaloon",
        next_step_on=ago(3),
    )
    services.change_stage(actor=actor, coaching=coaching, stage=Stage.JOB_SEARCH, started_on=ago(7))
    services.record_contact(
        actor=actor,
        coaching=coaching,
        kind=ContactKind.MEETING,
        contacted_on=ago(7),
        note="Ammatillinen profiili päivitetty kurssin jälkeen, työnhaku alkaa.",
    )
