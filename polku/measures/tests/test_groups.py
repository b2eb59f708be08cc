"""Change by group: per programme or municipality, small cells and their complements
hidden, with a chart; a measurement belongs to the client's current episode."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import plain_table_markup
from polku.clients.services import RelationshipTerms, register_client, set_non_disclosure
from polku.core.models import Municipality
from polku.measures import services
from polku.measures.selectors import group_breakdown, group_results
from polku.measures.tests.test_measurements import answered_was
from polku.pathways.models import Programme
from polku.pathways.services import open_episode
from polku.policy.actors import Actor
from polku.policy.enums import LegalBasis, Register

pytestmark = pytest.mark.django_db


@pytest.fixture
def add_person(setting, codesets):
    def add(number, programme_code, before, after, municipality="837"):
        person = register_client(
            actor=setting.actor(),
            terms=RelationshipTerms(
                organisation=setting.org_a,
                register=Register.OTHER,
                legal_basis=LegalBasis.CLIENT_AGREEMENT,
            ),
            first_names="Ryhmä",
            last_name=f"Jäsen{number}",
            birth_date=timezone.localdate().replace(year=1980),
            details={"municipality": Municipality.objects.get(code=municipality)},
        ).client
        open_episode(
            actor=setting.actor(),
            client=person,
            programme=Programme.objects.get(code=programme_code),
            organisation=setting.org_a,
        )
        answered_was(setting, before, after, client=person)
        return person

    return add


def test_group_change_is_suppressed_below_five_persons_and_shown_from_five(
    setting, add_person, make_professional
):
    programme = Programme.objects.get(code="job-coaching")
    analyst = make_professional("analyst", "analyst", setting.org_a)
    for number in range(4):
        add_person(number, "job-coaching", 4, 6)

    def was_row():
        results = group_results(Actor.for_user(analyst), programme)
        return next(row for row in results.rows if row.instrument.code == "work-ability-score")

    assert was_row().summary is None
    add_person(4, "job-coaching", 5, 8)
    summary = was_row().summary
    assert summary is not None
    assert (summary.n, summary.mean_change) == (5, pytest.approx(2.2))


def test_a_measurement_belongs_to_the_clients_current_episode(setting, add_person):
    person = add_person(1, "job-coaching", 4, 6)

    episodes = {a.episode for a in person.administrations.all()}

    assert [episode.programme.code for episode in episodes if episode] == ["job-coaching"]


def test_change_by_programme_hides_a_small_group_and_the_next_smallest(
    setting, add_person, make_professional
):
    analyst = make_professional("analyst", "analyst", setting.org_a)
    number = 0
    for code, count in (("job-coaching", 6), ("multi-sector-joint-service", 7)):
        for _ in range(count):
            number += 1
            add_person(number, code, 4, 7)
    for _ in range(2):
        number += 1
        add_person(number, "social-rehabilitation", 5, 5)

    breakdown = group_breakdown(
        Actor.for_user(analyst), services.latest_version("work-ability-score"), "programme"
    )

    rows = {row.label: row for row in breakdown.rows}
    # (the programmes are named in the active language, English)
    assert rows["Social Rehabilitation"].summary is None  # 2 persons
    assert rows["Job Coaching (IPS)"].summary is None  # 6, hidden to protect the 2
    assert rows["Job Coaching (IPS)"].protective
    shown = rows["Multi-Sector Promotion of Employment (TYP)"].summary
    assert shown is not None
    assert (shown.n, shown.mean_change) == (7, pytest.approx(3.0))
    assert shown.share_improved == 1.0  # 3 points is a reliable change on the WAS
    assert breakdown.total.summary is not None
    assert breakdown.total.summary.n == 15
    assert breakdown.chart is not None
    assert "+3.00" in breakdown.chart.description
    # The table filtered by IPS hides it too: there it would give back what the breakdown
    # hid, and the total less IPS and TYP would be the two persons' change.
    filtered = group_results(Actor.for_user(analyst), Programme.objects.get(code="job-coaching"))
    was = next(row for row in filtered.rows if row.instrument.code == "work-ability-score")
    assert was.summary is None
    assert was.protective


def test_the_table_filtered_by_a_programme_one_person_short_of_everyone_is_hidden(
    client, setting, add_person, make_professional
):
    # Given five persons in job coaching and one in social rehabilitation
    analyst = make_professional("analyst", "analyst", setting.org_a)
    for number in range(5):
        add_person(number, "job-coaching", 4, 6)
    add_person(5, "social-rehabilitation", 3, 9)

    # When the analyst reads the table for everyone and for job coaching
    def was_row(programme):
        results = group_results(Actor.for_user(analyst), programme)
        return next(row for row in results.rows if row.instrument.code == "work-ability-score")

    everyone = was_row(None)
    coaching = was_row(Programme.objects.get(code="job-coaching"))

    # Then everyone (6) is shown but job coaching (5) is not: 6 × 2.67 − 5 × 2 = 6 would be
    # the sixth person's change
    assert everyone.summary is not None
    assert (everyone.summary.n, everyone.summary.mean_change) == (6, pytest.approx(16 / 6))
    assert coaching.summary is None
    assert coaching.protective
    client.force_login(analyst)
    page = client.get(reverse("measures:groups"), {"programme": "job-coaching"})
    assert "cannot be worked out from this or another result on the page" in (page.content.decode())


def test_several_small_municipalities_hide_the_smallest_shown_one_too(
    setting, add_person, make_professional
):
    # Given six persons in Tampere, one in Helsinki and one in Turku
    analyst = make_professional("analyst", "analyst", setting.org_a)
    for number in range(6):
        add_person(number, "job-coaching", 4, 6, municipality="837")
    add_person(6, "job-coaching", 4, 9, municipality="091")
    add_person(7, "job-coaching", 4, 3, municipality="853")

    breakdown = group_breakdown(
        Actor.for_user(analyst), services.latest_version("work-ability-score"), "municipality"
    )

    # Then Tampere is hidden as well: the total (8) less Tampere (6) would be the two others
    rows = {row.label: row for row in breakdown.rows}
    assert (rows["Tampere"].summary, rows["Tampere"].protective) == (None, True)
    assert (rows["Helsinki"].summary, rows["Helsinki"].protective) == (None, False)
    assert (rows["Turku"].summary, rows["Turku"].protective) == (None, False)
    assert breakdown.total.summary is not None
    assert breakdown.total.summary.n == 8
    assert breakdown.chart is None


def test_change_by_municipality_on_the_page(client, setting, add_person, make_professional):
    analyst = make_professional("analyst", "analyst", setting.org_a)
    for number in range(5):
        add_person(number, "job-coaching", 3, 5, municipality="837")
    for number in range(5, 10):
        add_person(number, "job-coaching", 6, 6, municipality="091")
    client.force_login(analyst)

    page = client.get(
        reverse("measures:groups"), {"instrument": "work-ability-score", "by": "municipality"}
    )

    text = plain_table_markup(page.content.decode())
    assert "<title>Change in groups – Polku</title>" in text
    assert "change by municipality of residence" in text
    assert '<th scope="row">Tampere</th>' in text
    assert '<th scope="row">Helsinki</th>' in text
    assert 'src="data:image/svg+xml;base64,' in text
    assert "Jäsen" not in text  # aggregates only


def test_a_client_under_a_non_disclosure_counts_under_an_unknown_municipality(
    setting, add_person, make_professional
):
    # Given six persons in Tampere, one of whom is under a non-disclosure for personal safety
    analyst = make_professional("analyst", "analyst", setting.org_a)
    people = [add_person(number, "job-coaching", 4, 6, municipality="837") for number in range(6)]
    set_non_disclosure(actor=setting.actor(), client=people[0])

    # When the analyst breaks the change down by municipality
    breakdown = group_breakdown(
        Actor.for_user(analyst), services.latest_version("work-ability-score"), "municipality"
    )

    # Then Tampere has five persons, and the sixth is counted where the municipality is unknown
    rows = {row.label: row.persons for row in breakdown.rows}
    assert rows == {"Tampere": 5, "Not known": 1}
    assert breakdown.total.persons == 6
