"""A work trial for the demo: the demo job coach's client in work had first tried the work
at a recycling centre. The trial has ended; the client consented to the host hearing of it,
the host's supervisor gave feedback through the link, and the client rated the same areas
through the self-rating questionnaire. Written through the services as the coach, the host
and the client would, so that the access log has the rows real use would leave.
Idempotent: a coach whose coachings have a trial already is left alone."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from polku.accounts.models import User
from polku.employment import access
from polku.employment import worktrial_services as services
from polku.employment.models import Coaching, Employer, WorkTrial
from polku.employment.worktrial_enums import SELF_RATING_INSTRUMENT, TrialPurpose
from polku.measures import services as measures_services
from polku.measures.models import InstrumentVersion
from polku.policy.actors import Actor
from polku.policy.enums import ConsentMethod, Purpose

COACH = "tyohonvalmentaja"
HOST = "Nokian Kierrätyskeskus ry"
HOST_RATINGS = {
    "punctuality": 5,
    "pace": 3,
    "quality": 4,
    "learning": 4,
    "cooperation": 5,
    "coping_and_health": 3,
}
HOST_COMMENTS = {
    "pace": "Tahti nopeutui toisella viikolla, kun lajittelu tuli tutuksi.",
    "coping_and_health": "Iltapäivisin väsymystä; lyhyet tauot auttoivat.",
}
OWN_RATINGS = {
    "punctuality": 5,
    "pace": 2,
    "quality": 4,
    "learning": 5,
    "cooperation": 4,
    "coping_and_health": 2,
}


def seed_demo_work_trials() -> int:
    """The demo coach's finished work trial; the number of trials arranged now."""
    coach = User.objects.filter(username=COACH).first()
    host = Employer.objects.filter(name=HOST).first()
    if coach is None or host is None or WorkTrial.objects.filter(coaching__coach=coach).exists():
        return 0
    coaching = (
        Coaching.objects.open()
        .filter(coach=coach, stage="in_work")
        .select_related("client", "episode")
        .order_by("started_on")
        .first()
    )
    contact = host.contact_people.filter(is_active=True).order_by("pk").first()
    if coaching is None or contact is None:
        return 0
    actor = Actor.for_user(coach).for_purpose(Purpose.EMPLOYMENT_SUPPORT)
    today = timezone.localdate()
    starts_on = max(coaching.started_on, today - timedelta(days=60))
    ends_on = min(starts_on + timedelta(days=20), today)
    trial = services.arrange_work_trial(
        actor=actor,
        coaching=coaching,
        employer=host,
        contact_person=contact,
        workplace="Lajittelukeskus",
        starts_on=starts_on,
        ends_on=ends_on,
        tasks="Lahjoitusten vastaanotto, lajittelu ja hyllytys myymälään.",
        purpose=TrialPurpose.TESTING_WORK_ABILITY,
    )
    services.record_employer_consent(actor=actor, trial=trial, method=ConsentMethod.IN_PERSON)
    sent = services.send_feedback_link(actor=actor, trial=trial)
    services.save_feedback(
        actor=access.feedback_link_holder(sent.link),
        link=sent.link,
        ratings=HOST_RATINGS,
        comments=HOST_COMMENTS,
        overall="Luotettava ja oma-aloitteinen. Sopisi meille osa-aikaiseksi.",
        submit=True,
        language="fi",
    )
    if not InstrumentVersion.objects.filter(code=SELF_RATING_INSTRUMENT, is_active=True).exists():
        return 1  # instruments not loaded: the trial stays without the client's rating
    services.start_self_rating(actor=actor, trial=trial)
    trial.refresh_from_db()
    if trial.self_rating is not None:
        token = measures_services.issue_link(trial.self_rating, created_by=coach)
        measures_services.answer_through_link(token=token, answers=OWN_RATINGS, submit=True)
    return 1
