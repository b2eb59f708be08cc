"""The demo's placements: a current job for the client in work, an ended job in the
coaching that ended, recorded once."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from polku.accounts.models import User
from polku.employment.coaching_enums import Stage
from polku.employment.coaching_selectors import caseload
from polku.employment.models import Placement
from polku.employment.placement_enums import EndReason
from polku.policy.actors import Actor
from polku.policy.enums import Purpose
from polku.synthetic.placements import seed_demo_placements

pytestmark = pytest.mark.django_db


def test_the_demo_client_in_work_has_a_current_job_and_the_ended_coaching_an_ended_one(capsys):
    call_command("seed_demo")
    coach = User.objects.get(username="tyohonvalmentaja")
    actor = Actor.for_user(coach).for_purpose(Purpose.EMPLOYMENT_SUPPORT)

    current = Placement.objects.get(ended_on__isnull=True)
    assert (current.coaching.stage, current.employer.name, current.occupation_id) == (
        Stage.IN_WORK,
        "Tampereen Varastologistiikka Oy",
        "933",
    )
    ended = Placement.objects.get(ended_on__isnull=False)
    assert ended.coaching.ended_on is not None
    assert ended.ended_on is not None
    assert ended.coaching.started_on <= ended.started_on <= ended.ended_on
    assert ended.end_reason == EndReason.FIXED_TERM_ENDED
    employers = {
        row.coaching.stage: row.coaching.current_employer  # type: ignore[attr-defined]
        for row in caseload(actor)
    }
    assert employers == {
        Stage.IN_WORK: "Tampereen Varastologistiikka Oy",
        Stage.JOB_SEARCH: None,
    }
    assert "Placements: 2 recorded now" in capsys.readouterr().out

    assert seed_demo_placements() == 0
    assert Placement.objects.count() == 2
