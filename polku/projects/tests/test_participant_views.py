"""The participant screens: enrolling from the client's page, the participant page's
forms (which keep what was typed when refused), the list's filters and badges."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from polku.audit.enums import AuditEvent
from polku.audit.models import AccessLogEntry
from polku.employment.coaching_enums import Occasion, TransitionKind
from polku.employment.models import Transition
from polku.policy.enums import Action, DataCategory
from polku.projects import participant_services as services
from polku.projects.enums import LabourStatus
from polku.projects.models import Participant
from polku.projects.tests.fixtures_participants import (  # noqa: F401 - fixtures
    ProjectWorld,
    enrolled_fixture,
    project_world_fixture,
)

pytestmark = pytest.mark.django_db


def _participant_url(world: ProjectWorld, suffix: str = "") -> str:
    assert world.participant is not None
    name = f"projects:participant{suffix}"
    return reverse(name, kwargs={"public_id": world.participant.public_id})


def _enrol_url(world: ProjectWorld) -> str:
    return reverse(
        "projects:enrol",
        kwargs={"public_id": world.project.public_id, "client_id": world.client.public_id},
    )


# Enrolment from the client's page ------------------------------------------------------------


def test_the_client_page_offers_enrolment_to_serving_project_staff(
    client: HttpClient, pworld: ProjectWorld
) -> None:
    client.force_login(pworld.people["worker_a"])

    html = client.get(
        reverse("clients:overview", kwargs={"public_id": pworld.client.public_id})
    ).content.decode()

    assert "Funded projects" in html
    assert _enrol_url(pworld) in html
    assert "Nuoret töihin" not in html  # not on that project's staff


def test_the_client_page_shows_no_project_panel_to_others(
    client: HttpClient, enrolled: ProjectWorld
) -> None:
    client.force_login(enrolled.people["serving"])

    html = client.get(
        reverse("clients:overview", kwargs={"public_id": enrolled.client.public_id})
    ).content.decode()

    assert "Funded projects" not in html
    assert "Työkyky käyttöön" not in html


def test_the_client_page_lists_participations_and_logs_them(
    client: HttpClient, enrolled: ProjectWorld
) -> None:
    client.force_login(enrolled.people["worker_a"])

    html = client.get(
        reverse("clients:overview", kwargs={"public_id": enrolled.client.public_id})
    ).content.decode()

    assert _participant_url(enrolled) in html
    assert _enrol_url(enrolled) not in html  # already takes part
    assert AccessLogEntry.objects.filter(
        client_public_id=enrolled.client.public_id,
        action=Action.LIST,
        categories=DataCategory.PROJECT,
    ).exists()


def test_enrol_form_shows_what_polku_knows_and_enrols(
    client: HttpClient, pworld: ProjectWorld
) -> None:
    client.force_login(pworld.people["worker_a"])

    form = client.get(_enrol_url(pworld))
    assert form.status_code == 200
    assert "from the client record" in form.content.decode()
    assert "Tampere" in form.content.decode()

    response = client.post(
        _enrol_url(pworld),
        {
            "entry-entered_on": "2026-03-02",
            "entry-labour_status": LabourStatus.INACTIVE,
            "entry-education_level": "2",
        },
    )

    participant = Participant.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "projects:participant", kwargs={"public_id": participant.public_id}
    )
    assert (participant.labour_status, participant.age_at_entry) == (LabourStatus.INACTIVE, 35)


def test_enrol_refused_input_keeps_what_was_typed(client: HttpClient, pworld: ProjectWorld) -> None:
    client.force_login(pworld.people["worker_a"])

    response = client.post(
        _enrol_url(pworld),
        {"entry-entered_on": "2024-06-01", "entry-labour_status": LabourStatus.EMPLOYED},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Please check the following" in html
    assert "within the project&#x27;s period" in html
    assert 'value="2024-06-01"' in html
    assert '<option value="employed" selected>' in html
    assert not Participant.objects.exists()


def test_enrolling_twice_says_so(client: HttpClient, enrolled: ProjectWorld) -> None:
    client.force_login(enrolled.people["worker_a"])

    response = client.get(_enrol_url(enrolled))

    assert response.status_code == 409
    assert "already takes part" in response.content.decode()


@pytest.mark.parametrize("who", ["manager_b", "coordinator", "serving", "admin"])
def test_enrol_is_not_found_for_others(client: HttpClient, pworld: ProjectWorld, who: str) -> None:
    client.force_login(pworld.people[who])

    assert client.get(_enrol_url(pworld)).status_code == 404
    assert client.post(_enrol_url(pworld), {"entry-entered_on": "2026-03-02"}).status_code == 404
    assert not Participant.objects.exists()


# The participant page -----------------------------------------------------------------------


def test_exit_form_is_prefilled_with_its_source(client: HttpClient, enrolled: ProjectWorld) -> None:
    assert enrolled.participant is not None
    coaching = enrolled.coaching(enrolled.client, date(2026, 1, 5))
    Transition.objects.create(
        coaching=coaching,
        occasion=Occasion.EXIT,
        kind=TransitionKind.SELF_EMPLOYMENT,
        observed_on=date(2026, 9, 3),
        recorded_by=coaching.coach,
    )
    services.record_exit(
        actor=enrolled.actor(), participant=enrolled.participant, left_on=date(2026, 8, 31)
    )
    client.force_login(enrolled.people["worker_a"])

    html = client.get(_participant_url(enrolled)).content.decode()

    assert "Prefilled from job coaching, transition at exit 3.9.2026 (Self-employment)" in html
    assert 'name="exit-observed_on" value="2026-09-03"' in html
    assert 'value="yes" id="id_exit-employed_1" checked' in html


def test_exit_later_than_four_weeks_is_saved_with_a_warning(
    client: HttpClient, enrolled: ProjectWorld
) -> None:
    client.force_login(enrolled.people["worker_a"])

    response = client.post(
        _participant_url(enrolled, "_exit"),
        {"exit-left_on": "2026-08-31", "exit-observed_on": "2026-10-30", "exit-employed": "yes"},
        follow=True,
    )

    html = response.content.decode()
    assert "does not count as the situation upon leaving" in html
    assert "not counted as upon leaving" in html
    participant = Participant.objects.get()
    assert participant.exit_employed is True
    assert AccessLogEntry.objects.filter(event=AuditEvent.PARTICIPANT_EXIT_RECORDED).count() == 1


def test_bad_exit_keeps_the_input_and_changes_nothing(
    client: HttpClient, enrolled: ProjectWorld
) -> None:
    client.force_login(enrolled.people["worker_a"])

    response = client.post(
        _participant_url(enrolled, "_exit"),
        {
            "exit-left_on": "2026-08-31",
            "exit-observed_on": "2026-08-01",
            "exit-job_searching": "yes",
        },
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "The situation is observed on or after the leaving date." in html
    assert 'name="exit-observed_on" value="2026-08-01"' in html
    assert 'value="yes" id="id_exit-job_searching_1" checked' in html
    assert Participant.objects.get().left_on is None


def test_entry_and_follow_up_forms_save(client: HttpClient, enrolled: ProjectWorld) -> None:
    assert enrolled.participant is not None
    services.record_exit(
        actor=enrolled.actor(), participant=enrolled.participant, left_on=date(2026, 4, 30)
    )
    client.force_login(enrolled.people["manager_b"])

    entry = client.post(
        _participant_url(enrolled, "_entry"),
        {"entry-entered_on": "2026-03-03", "entry-labour_status": "unemployed"},
    )
    follow_up = client.post(
        _participant_url(enrolled, "_follow_up"),
        {"follow_up-observed_on": "2026-10-30", "follow_up-employed": "no"},
    )

    assert (entry.status_code, follow_up.status_code) == (302, 302)
    participant = Participant.objects.get()
    assert participant.entered_on == date(2026, 3, 3)
    assert participant.education_level == ""
    assert (participant.follow_up_employed, participant.follow_up_improved) == (False, None)


def test_sensitive_form_saves_for_the_administering_staff(
    client: HttpClient, enrolled: ProjectWorld
) -> None:
    client.force_login(enrolled.people["manager_a"])

    response = client.post(
        _participant_url(enrolled, "_sensitive"),
        {"sensitive-disability": "declined", "sensitive-homeless": "no"},
    )

    assert response.status_code == 302
    assert enrolled.participant is not None
    enrolled.participant.sensitive.refresh_from_db()
    assert enrolled.participant.sensitive.disability == "declined"
    assert enrolled.participant.sensitive.third_country_national == ""


# The list -----------------------------------------------------------------------------------------


def test_list_filters_and_badges(client: HttpClient, enrolled: ProjectWorld) -> None:
    assert enrolled.participant is not None
    services.record_exit(
        actor=enrolled.actor(), participant=enrolled.participant, left_on=date(2026, 4, 30)
    )
    second = enrolled.enrol(enrolled.other_client, labour_status="", entered_on=date(2026, 5, 4))
    client.force_login(enrolled.people["worker_b"])
    url = reverse("projects:participants", kwargs={"public_id": enrolled.project.public_id})

    everyone = client.get(url).content.decode()
    active = client.get(url, {"show": "active"}).content.decode()
    due = client.get(url, {"show": "follow_up_due"}).content.decode()

    assert "Olli Osallistuja" in everyone
    assert "Mirja Muukalainen" in everyone
    assert "situation upon leaving" in everyone
    assert "follow-up due 30.10.2026" in everyone
    assert "entry details" in everyone  # the second has no labour-market status
    assert "Mirja Muukalainen" in active
    assert "Olli Osallistuja" not in active
    assert "Olli Osallistuja" in due
    assert "Mirja Muukalainen" not in due
    assert second.public_id


def test_the_list_costs_the_same_queries_for_more_participants(
    client: HttpClient, enrolled: ProjectWorld
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(enrolled.people["worker_a"])
    url = reverse("projects:participants", kwargs={"public_id": enrolled.project.public_id})
    client.get(url)  # the session and the user's memberships settle
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for number in range(3, 7):
        enrolled.enrol(enrolled.register(f"Lisä{number}", number), entered_on=date(2026, 4, 1))
    with CaptureQueriesContext(connection) as five:
        response = client.get(url)

    assert response.content.decode().count("/projects/participants/") == 5
    assert len(five.captured_queries) == len(one.captured_queries)
    assert AccessLogEntry.objects.filter(action=Action.LIST).count() == 1 + 1 + 5


def test_a_later_non_disclosure_withholds_the_municipality_snapshotted_at_entry(
    client: HttpClient, enrolled: ProjectWorld
) -> None:
    import io

    from openpyxl import load_workbook

    from polku.clients.services import set_non_disclosure

    set_non_disclosure(actor=enrolled.actor(), client=enrolled.client)
    url = reverse("projects:participants", kwargs={"public_id": enrolled.project.public_id})

    client.force_login(enrolled.people["worker_b"])
    partner_page = client.get(_participant_url(enrolled)).content.decode()
    partner_export = client.get(url, {"format": "xlsx"}).content
    client.force_login(enrolled.people["worker_a"])
    own_page = client.get(_participant_url(enrolled)).content.decode()

    assert "Tampere" not in partner_page
    sheet = load_workbook(io.BytesIO(partner_export)).active
    assert sheet is not None
    assert "Tampere" not in [cell.value for row in sheet.iter_rows() for cell in row]
    assert "Tampere" in own_page  # A registered it and serves the client
    assert Participant.objects.get().municipality_id == "837"
