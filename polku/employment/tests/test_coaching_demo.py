"""The demo job coach's caseload: believable, through the services, loaded once."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from polku.accounts.models import User
from polku.audit.sealing import verify_access_log
from polku.employment.coaching_enums import Occasion, Stage, TransitionKind
from polku.employment.coaching_selectors import caseload
from polku.employment.models import Coaching
from polku.policy.actors import Actor
from polku.policy.enums import Purpose
from polku.synthetic.coaching import seed_demo_coaching

pytestmark = pytest.mark.django_db


def test_the_demo_job_coach_has_a_caseload_and_an_ended_coaching(capsys):
    call_command("seed_demo")
    coach = User.objects.get(username="tyohonvalmentaja")
    actor = Actor.for_user(coach).for_purpose(Purpose.EMPLOYMENT_SUPPORT)

    rows = caseload(actor)
    assert sorted(row.coaching.stage for row in rows) == [Stage.IN_WORK, Stage.JOB_SEARCH]
    assert [row.next_step_overdue for row in rows] == [True, False]
    assert all(row.coaching.last_contact_on for row in rows)
    ended = Coaching.objects.get(coach=coach, ended_on__isnull=False)
    assert dict(ended.transitions.values_list("occasion", "kind")) == {
        Occasion.EXIT: TransitionKind.EDUCATION
    }
    assert ended.episode == Coaching.objects.get(coach=coach, stage=Stage.JOB_SEARCH).episode
    assert "Job coaching: 3 started now" in capsys.readouterr().out

    assert seed_demo_coaching() == 0
    assert Coaching.objects.count() == 3
    assert verify_access_log().intact
