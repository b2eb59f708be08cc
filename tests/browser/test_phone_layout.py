"""Every main staff page reflows on a 320 CSS pixel wide screen (WCAG 1.4.10): nothing
scrolls sideways, tables become stacked rows, and axe-core finds nothing to fix."""

from datetime import date, timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page

from polku.accounts.enums import OrganisationKind, Role
from polku.accounts.models import Membership
from polku.clients.services import RelationshipTerms, record_consent, register_client
from polku.employment.coaching_services import start_coaching
from polku.measures.services import (
    latest_version,
    load_shipped_instruments,
    save_answers,
    start_administration,
)
from polku.pathways import services as pathways
from polku.pathways.models import Programme
from polku.policy.actors import Actor
from polku.policy.enums import ConsentMethod, DataCategory, LegalBasis, Purpose, Register
from tests.browser.conftest import assert_accessible, new_page, sign_in

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 320, 640


# The elements that reach past the right edge of the window, to say what to fix.
OVERFLOWING = """() => [...document.body.querySelectorAll("*")]
    .filter(element => element.getBoundingClientRect().right > window.innerWidth + 0.5)
    .map(element => `${element.tagName.toLowerCase()}.${element.className}`)
    .slice(0, 8)"""


def overflow(page: Page) -> list[str]:
    """Why the page scrolls sideways at the phone's width; nothing when it does not."""
    width = page.evaluate("document.documentElement.scrollWidth")
    if width <= page.evaluate("window.innerWidth"):
        return []
    return [f"{page.url} is {width} px wide", *page.evaluate(OVERFLOWING)]


def problems_of(axe: Axe, page: Page) -> list[str]:
    """What keeps the page from reflowing at the phone's width, and axe-core's findings."""
    problems = overflow(page)
    results = axe.run(page)
    if results.violations_count:
        problems.append(f"{page.url}: {results.generate_report()}")
    return problems


def test_the_staff_pages_reflow_on_a_320_pixel_screen(
    live_server, browser, axe, programmes, make_organisation, make_professional
):
    # Given a client with an episode, a team, a reviewed plan with tasks, a referral and
    # two measurements of the same instrument.
    load_shipped_instruments()
    area = make_organisation("Työllisyysalue A", OrganisationKind.EMPLOYMENT_SERVICES)
    rehab = make_organisation("Kuntoutus B", OrganisationKind.HEALTH_CARE)
    manager = make_professional(
        "maija",
        Role.EMPLOYMENT_EXPERT,
        area,
        first_name="Maija-Liisa",
        last_name="Manageri-Työllisyyspalvelukoordinaattori",
        email="maija-liisa.manageri-tyollisyyspalvelukoordinaattori@example.invalid",
    )
    # A second membership puts the "acting for" choice in the header, the widest part of it.
    Membership.objects.create(
        user=manager, organisation=area, unit=manager.memberships.get().unit, role=Role.JOB_COACH
    )
    coordinator = make_professional(
        "kalle", Role.WORK_ABILITY_COORDINATOR, area, first_name="Kalle"
    )
    make_professional("olli", Role.PHYSICIAN, rehab, first_name="Olli")
    actor = Actor.for_user(manager)
    client = register_client(
        actor=actor,
        terms=RelationshipTerms(
            organisation=area,
            register=Register.EMPLOYMENT_SERVICES,
            legal_basis=LegalBasis.MULTI_SECTOR_ACT,
        ),
        first_names="Pauli Aleksanteri",
        last_name="Polkunen-Kuntoutusjaksolainen",
        birth_date=date(1975, 6, 1),
    ).client
    episode = pathways.open_episode(
        actor=actor,
        client=client,
        programme=Programme.objects.get(code="multi-sector-joint-service"),
        organisation=area,
        case_manager=manager,
    )
    pathways.add_team_member(
        actor=actor,
        episode=episode,
        membership=Membership.objects.get(user=coordinator),
        team_role="Työkykykoordinaattori",
    )
    plan = pathways.save_plan(
        actor=actor,
        episode=episode,
        goals=[
            pathways.GoalInput(
                "Haluan päästä puutöihin",
                levels=("Ei kokeilua", "Tutustuminen", "Työkokeilu", "Osa-aikatyö", "Työ"),
                importance=3,
                difficulty=2,
            ),
            pathways.GoalInput("Haluan jaksaa arjessa paremmin"),
        ],
        actions=[
            pathways.ActionInput(
                "Työkokeilupaikan etsiminen",
                goal_position=0,
                owner_user=manager,
                due_on=timezone.localdate() + timedelta(days=7),
            )
        ],
        helping_factors="https://example.invalid/hyvin-pitka-osoite/joka/ei/mahdu/puhelimen/ruudulle",
    )
    pathways.review_plan(
        actor=actor,
        plan=plan,
        attainments={goal.pk: 0 for goal in plan.goals.all()},
        note="Hyvä alku",
    )
    record_consent(
        actor=actor,
        client=client,
        discloser=area,
        recipient=rehab,
        purpose=Purpose.SERVICE_COORDINATION,
        categories=[DataCategory.BASIC, DataCategory.PLAN],
        method=ConsentMethod.SIGNED_PAPER,
    )
    referral = pathways.send_referral(
        actor=actor,
        client=client,
        from_organisation=area,
        to_organisation=rehab,
        reason="Työkyvyn arvio ja kuntoutustarve",
        urgency="normal",
        shared_categories=[DataCategory.PLAN],
    )
    for score in (4, 7):
        administration = start_administration(
            actor=actor,
            client=client,
            organisation=area,
            instrument=latest_version("work-ability-score"),
        )
        save_answers(
            actor=actor, administration=administration, answers={"was": score}, submit=True
        )
    coaching = start_coaching(
        actor=actor.for_purpose(Purpose.EMPLOYMENT_SUPPORT), episode=episode, coach=manager
    )
    url = live_server.url

    # The sign-in page, then every main page of the case manager's work.
    signed_out = new_page(browser, viewport={"width": WIDTH, "height": HEIGHT})
    signed_out.goto(f"{url}/accounts/login/")
    problems = problems_of(axe, signed_out)
    signed_out.context.close()

    page = sign_in(browser, url, "maija", width=WIDTH, height=HEIGHT)
    assert page.get_by_label("Toimit organisaatiossa").is_visible()
    client_url = f"{url}/clients/{client.public_id}"
    episode_url = f"{url}/episodes/{episode.public_id}"
    pages = [
        f"{url}/",
        f"{url}/clients/",
        f"{client_url}/",
        f"{client_url}/pathway/",
        f"{episode_url}/",
        f"{episode_url}/plan/",
        f"{episode_url}/plan/review/",
        f"{episode_url}/team/",
        f"{url}/referrals/{referral.public_id}/",
        f"{client_url}/measures/",
        f"{client_url}/access-log/",
        f"{url}/measures/schedules/",
        f"{url}/measures/instruments/",
        f"{url}/measures/groups/",
        f"{url}/accounts/profile/",
        f"{client_url}/measures/plain/",
        f"{episode_url}/plan/print/",
        f"{url}/clients/new/",
        f"{client_url}/consents/new/",
        f"{client_url}/referrals/new/",
        f"{url}/coaching/",
        f"{url}/coaching/{coaching.public_id}/",
        f"{url}/employers/",
        f"{url}/no-such-page/",
    ]
    for address in pages:
        page.goto(address)
        problems += problems_of(axe, page)
    assert problems == [], "\n".join(problems)

    # A search's results are a table too; its rows stack under their labels.
    page.goto(f"{url}/clients/")
    page.locator("#id_q").fill("Polkunen")
    page.get_by_role("button", name="Hae").click()
    result = page.get_by_role("table")
    assert result.locator("td").first.get_attribute("data-label") == "Nimi"
    assert (
        result.locator("td").first.evaluate("cell => getComputedStyle(cell, '::before').content")
        == '"Nimi"'
    )
    assert overflow(page) == []
    assert_accessible(axe, page)
