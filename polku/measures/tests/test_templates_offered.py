"""A template whose wording has not been entered is not offered for starting a measurement
nor for a schedule, a posted one is refused, and no scheduled occasion of it comes due."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from polku.measures import services
from polku.measures.forms import ScheduleForm, StartForm
from polku.measures.models import Administration, Schedule
from polku.measures.schedules import add_schedule, schedule_measurements
from polku.pathways.models import Programme
from polku.pathways.services import open_episode

pytestmark = pytest.mark.django_db

TEMPLATE = "work-ability-index"  # shipped without its wording (the licence)


def enter_wording(setting, code):
    instrument = services.latest_version(code)
    services.enter_item_texts(
        actor=setting.actor(setting.admin),
        instrument=instrument,
        texts={item.code: {"fi": f"Kysymys {item.code}"} for item in instrument.definition.items},
    )


def offered_for_starting() -> set[str]:
    versions = StartForm().fields["instrument"].queryset  # type: ignore[attr-defined]
    return {version.code for version in versions}


def offered_for_schedules() -> set[str]:
    choices = ScheduleForm().fields["instrument_code"].choices  # type: ignore[attr-defined]
    return {code for code, _title in choices}


def test_a_template_is_offered_only_once_its_wording_is_entered(setting):
    assert TEMPLATE not in offered_for_starting()
    assert TEMPLATE not in offered_for_schedules()
    assert "work-ability-score" in offered_for_starting() & offered_for_schedules()

    enter_wording(setting, TEMPLATE)

    assert TEMPLATE in offered_for_starting()
    assert TEMPLATE in offered_for_schedules()


def test_a_posted_template_without_wording_is_refused(setting, client):
    client.force_login(setting.worker)
    template = services.latest_version(TEMPLATE)

    response = client.post(
        reverse("measures:start", kwargs={"public_id": setting.client.public_id}),
        {"instrument": template.pk, "occasion": "ad_hoc", "channel": "link"},
        follow=True,
    )

    assert "an instrument whose wording has not been entered is not offered" in (
        response.content.decode()
    )
    assert not Administration.objects.exists()


def test_a_posted_schedule_of_a_template_without_wording_is_refused(setting, client):
    client.force_login(setting.admin)
    programme = Programme.objects.get(code="job-coaching")
    before = Schedule.objects.count()

    response = client.post(
        reverse("measures:schedules"),
        {
            "add": "1",
            "programme": programme.pk,
            "instrument_code": TEMPLATE,
            "occasion": "baseline",
            "months": "0",
        },
    )

    assert response.status_code == 400
    assert Schedule.objects.count() == before
    with pytest.raises(ValidationError, match="wording of this instrument has not been entered"):
        add_schedule(
            actor=setting.actor(setting.admin),
            programme=programme,
            instrument_code=TEMPLATE,
            occasion="baseline",
            months=0,
        )


def test_a_scheduled_template_comes_due_only_once_its_wording_is_entered(setting, client):
    # given the default schedule, which has the inclusion indicator (a template) at the start
    programme = Programme.objects.get(code="multi-sector-joint-service")
    open_episode(
        actor=setting.actor(),
        client=setting.client,
        programme=programme,
        organisation=setting.org_a,
    )

    # when the daily job runs before the wording is entered, and after
    before = schedule_measurements()
    client.force_login(setting.admin)
    page = client.get(reverse("measures:schedules")).content.decode()
    enter_wording(setting, "inclusion-indicator")
    after = schedule_measurements()

    # then only the Work Ability Score came due at first; the schedule page said why
    assert (before.created, after.created) == (1, 1)
    assert sorted(Administration.objects.values_list("instrument__code", flat=True)) == [
        "inclusion-indicator",
        "work-ability-score",
    ]
    assert "Waiting for its wording" in page
