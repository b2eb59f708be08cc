"""The demo work trial: finished, with the consent, the host's sent feedback and the
client's answered self-rating, written through the services; loaded once."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from polku.accounts.models import User
from polku.audit.models import AccessLogEntry
from polku.employment import worktrial_selectors as selectors
from polku.employment import worktrial_services as services
from polku.employment.models import WorkTrial
from polku.measures.enums import AdministrationStatus
from polku.measures.services import load_shipped_instruments
from polku.policy.actors import Actor, ActorKind
from polku.policy.enums import Purpose
from polku.synthetic.worktrials import HOST_RATINGS, OWN_RATINGS, seed_demo_work_trials

pytestmark = pytest.mark.django_db


def test_the_demo_coach_has_a_finished_work_trial_with_both_ratings(programmes, capsys):
    load_shipped_instruments()
    call_command("seed_demo")
    coach = User.objects.get(username="tyohonvalmentaja")
    actor = Actor.for_user(coach).for_purpose(Purpose.EMPLOYMENT_SUPPORT)

    trial = WorkTrial.objects.get()
    assert trial.employer.name == "Nokian Kierrätyskeskus ry"
    assert services.employer_consent(trial) is not None
    assert trial.self_rating is not None
    assert trial.self_rating.status == AdministrationStatus.COMPLETE
    trial, decision = selectors.get_work_trial(actor, trial.public_id)
    page = selectors.trial_page(actor, trial, decision)
    assert {row.code: (row.host, row.client) for row in page.rows} == {
        code: (HOST_RATINGS[code], OWN_RATINGS[code]) for code in HOST_RATINGS
    }
    assert AccessLogEntry.objects.filter(
        actor_kind=ActorKind.LINK_HOLDER, event="employer_feedback_submitted"
    ).exists()
    assert "Work trials: 1 arranged now" in capsys.readouterr().out
    assert seed_demo_work_trials() == 0
