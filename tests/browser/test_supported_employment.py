"""Supported employment end to end in Chromium: a job coach starts coaching, records two
employer contacts, arranges a work trial and sends its feedback link; the host opens the
link on a phone without signing in, saves a draft, comes back and sends it; the client
rates the same areas through the questionnaire link; the coach sees both side by side,
records the job that follows and ends the coaching with the client's transition.
axe-core checks every page, the host's and the client's included."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page

from polku.audit.models import AccessLogEntry
from polku.core.models import Municipality
from polku.employment import employer_services
from polku.employment.coaching_enums import Stage, TransitionKind
from polku.employment.models import (
    Coaching,
    EmployerContact,
    EmployerFeedback,
    Placement,
    Transition,
    WorkTrial,
)
from polku.employment.tests.coaching_world import make_world
from polku.employment.worktrial_enums import DEFAULT_AREA_CODES
from polku.measures.services import load_shipped_instruments
from polku.policy.actors import ActorKind
from tests.browser.conftest import new_page, sign_in
from tests.browser.test_phone_layout import HEIGHT, WIDTH, problems_of

pytestmark = pytest.mark.browser

TODAY = timezone.localdate()
# What the host rates each area with, and the client: the first three in the draft.
HOST = {"punctuality": 5, "pace": 3, "quality": 4, "learning": 4, "cooperation": 5}
HOST_LAST = 3  # coping_and_health, after coming back
CLIENT = 4  # every area


def submit(button: Locator) -> None:
    """Press a button that sends a form, and wait for the page that answers."""
    with button.page.expect_navigation():
        button.click()


def form_button(page: Page, form: str) -> Locator:
    """The submit button of the page's form for one act (its hidden ``form`` value)."""
    return page.locator(f"form:has(input[name=form][value={form}]) button[type=submit]")


def test_a_coach_takes_a_client_from_a_work_trial_to_a_job(
    live_server, browser, axe, settings, programmes, make_organisation, make_professional
):
    settings.POLKU_BASE_URL = live_server.url  # the links point to this test server
    load_shipped_instruments()
    world = make_world(make_organisation, make_professional)
    client = world.new_client()
    episode = world.new_episode(client, started_on=TODAY - timedelta(days=40))
    host = employer_services.create_employer(
        actor=world.actor(),
        name="Pirkan Kierrätyskeskus Oy",
        business_id="2345678-0",
        municipality=Municipality.objects.get(pk="837"),
    )
    host_person = employer_services.add_contact_person(
        host,
        actor=world.actor(),
        name="Helena Isäntä",
        title="Työnjohtaja",
        email="helena.isanta@kierratys.example.invalid",
    )
    url = live_server.url
    problems: list[str] = []
    coach = sign_in(browser, url, "coach")

    def check(page: Page) -> None:
        problems.extend(problems_of(axe, page))

    # The coach starts job coaching in the client's episode.
    coach.goto(f"{url}/episodes/{episode.public_id}/coaching/start/")
    check(coach)
    coach.locator("#id_coach").select_option(str(world.coach.pk))
    submit(coach.locator("main form button[type=submit]"))
    coaching = Coaching.objects.get(episode=episode)
    assert coach.url == f"{url}/coaching/{coaching.public_id}/"
    check(coach)

    # Two contacts with the host employer: face to face, then by phone.
    for mode, result in ((0, "Sovittiin työkokeilusta lajittelussa."), (1, "Aloituspäivä 1.")):
        coach.goto(f"{url}/employers/{host.pk}/")
        coach.locator(f"#id_contact-mode_{mode}").check()
        coach.locator("#id_contact-purpose").select_option("work_trial")
        coach.locator("#id_contact-contact_person").select_option(str(host_person.pk))
        coach.locator("#id_contact-result").fill(result)
        submit(coach.locator("section[aria-labelledby=record-heading] button[type=submit]"))
        check(coach)
    assert EmployerContact.objects.filter(employer=host, coach=world.coach).count() == 2

    # A work trial with the default areas, the client's consent to tell the host, the link.
    coach.goto(f"{url}/coaching/{coaching.public_id}/work-trials/new/")
    check(coach)
    coach.locator("#id_employer").select_option(str(host.pk))
    coach.locator("#id_contact_person").select_option(str(host_person.pk))
    coach.locator("#id_workplace").fill("Lajittelukeskus")
    coach.locator("#id_starts_on").fill(TODAY.isoformat())
    coach.locator("#id_ends_on").fill((TODAY + timedelta(days=27)).isoformat())
    coach.locator("#id_tasks").fill("Tekstiilien lajittelu ja hinnoittelu")
    coach.locator("#id_purpose_1").check()
    submit(coach.locator("main form button[type=submit]"))
    trial = WorkTrial.objects.get(coaching=coaching)
    assert coach.url.startswith(f"{url}/work-trials/{trial.public_id}/")
    assert [area["code"] for area in trial.areas] == list(DEFAULT_AREA_CODES)
    assert form_button(coach, "send").count() == 0  # no link without the consent
    check(coach)
    coach.locator("#id_consent-method").select_option("in_person")
    submit(form_button(coach, "consent"))
    submit(form_button(coach, "send"))
    feedback_link = coach.locator("#feedback-link").input_value()
    assert feedback_link.startswith(f"{url}/feedback/")
    check(coach)

    # The client's self-rating of the same areas, through the questionnaire link.
    submit(form_button(coach, "self_rating"))
    submit(coach.locator("a[href$='/link/'][href*='/measures/']"))
    submit(coach.get_by_role("button", name="Tee linkki"))
    answer_link = coach.locator("#answer-link").input_value()
    check(coach)

    # The host, on a phone and not signed in: three areas and a comment, saved as a draft.
    phone = {"viewport": {"width": WIDTH, "height": HEIGHT}, "is_mobile": True}
    host_page = new_page(browser, **phone)
    host_page.goto(feedback_link)
    check(host_page)
    content = host_page.content()
    assert "Pauli" in content
    assert "Polkunen" not in content  # the client's first name, nothing more
    for code in ("punctuality", "pace", "quality"):
        host_page.locator(f"#id_rating_{code}_{HOST[code] - 1}").check()
    host_page.locator("#id_comment_pace").fill("Tahti nopeutui toisella viikolla.")
    submit(host_page.locator("button[name=save]"))
    check(host_page)
    host_page.context.close()
    feedback = EmployerFeedback.objects.get(link__trial=trial)
    assert feedback.submitted_at is None
    assert feedback.ratings == {code: HOST[code] for code in ("punctuality", "pace", "quality")}

    # Back the next day in a new browser: the draft is there; the rest rated and sent.
    host_page = new_page(browser, **phone)
    host_page.goto(feedback_link)
    assert host_page.locator(f"#id_rating_pace_{HOST['pace'] - 1}").is_checked()
    for code in ("learning", "cooperation"):
        host_page.locator(f"#id_rating_{code}_{HOST[code] - 1}").check()
    host_page.locator(f"#id_rating_coping_and_health_{HOST_LAST - 1}").check()
    host_page.locator("#id_overall").fill("Luotettava ja oma-aloitteinen.")
    submit(host_page.locator("button[name=submit]"))
    assert host_page.get_by_role("heading", level=1).is_visible()
    check(host_page)
    host_page.goto(feedback_link)  # a used link says so and shows nothing of the trial
    assert "Lajittelukeskus" not in host_page.content()
    check(host_page)
    feedback.refresh_from_db()
    assert feedback.submitted_at is not None
    host_uses = AccessLogEntry.objects.filter(
        actor_kind=ActorKind.LINK_HOLDER, client_public_id=client.public_id
    )
    assert host_uses.count() >= 4  # opened, draft saved, opened again, sent

    # The client answers on their phone: every area a 4.
    client_page = new_page(browser, **phone)
    client_page.goto(answer_link)
    check(client_page)
    one_page = client_page.get_by_role("link", name="Näytä kaikki kysymykset yhdellä sivulla")
    if one_page.count():
        submit(one_page)
    for code in DEFAULT_AREA_CODES:
        client_page.locator(f"input[type=radio][name$={code}][value='{CLIENT}']").check()
    submit(client_page.get_by_role("button", name="Lähetä vastaukset"))
    check(client_page)

    # The coach sees the host's ratings beside the client's own, as a chart and a table.
    coach.goto(f"{url}/work-trials/{trial.public_id}/")
    check(coach)
    rows = {
        row.locator("th").inner_text().strip(): [
            cell.inner_text().strip() for cell in row.locator("td").all()
        ]
        for row in coach.locator("section[aria-labelledby=comparison-heading] tbody tr").all()
    }
    ratings = sorted((cells[0][:1], cells[1][:1]) for cells in rows.values())
    expected = sorted((str(rating), str(CLIENT)) for rating in [*HOST.values(), HOST_LAST])
    assert ratings == expected
    chart = coach.locator("section[aria-labelledby=comparison-heading] figure.chart img")
    assert chart.get_attribute("src").startswith("data:image/svg+xml")

    # A job follows: recorded from the coaching, the coaching moves to work.
    coach.goto(f"{url}/coaching/{coaching.public_id}/placements/new/")
    check(coach)
    coach.locator("#id_kind").select_option("job")
    coach.locator("#id_employer").select_option(str(host.pk))
    coach.locator("#id_occupation").select_option("962")
    coach.locator("#id_terms").select_option("pay_subsidy")
    coach.locator("#id_hours_per_week").fill("25")
    coach.locator("#id_started_on").fill(TODAY.isoformat())
    coach.locator("#id_supports_agreed").fill("Perehdytys ja nimetty työkaveri.")
    submit(coach.locator("main form button[type=submit]"))
    check(coach)
    placement = Placement.objects.get(coaching=coaching)
    coaching.refresh_from_db()
    assert (placement.employer, placement.started_on) == (host, TODAY)
    assert coaching.stage == Stage.IN_WORK

    # The coaching ends with the client in subsidised work, after the confirmation.
    coach.goto(f"{url}/coaching/{coaching.public_id}/")
    coach.locator("#id_end-transition").select_option(TransitionKind.SUBSIDISED_WORK)
    submit(coach.locator("form[action$='/end/'] button[type=submit]"))
    check(coach)
    submit(coach.locator("button[name=confirm]"))
    check(coach)
    coaching.refresh_from_db()
    assert coaching.ended_on == TODAY
    assert Transition.objects.get(coaching=coaching).kind == TransitionKind.SUBSIDISED_WORK
    assert problems == [], "\n".join(problems)
