"""A case worker's week on a phone-sized screen: the team found among 20,000
professionals, a plan whose tasks reach their owners, a task done from the worklist, a
questionnaire link sent by text message and answered, a review by goal, a team member
removed and the episode ended through its confirmation. Every page passes axe-core and
none scrolls sideways at 320 CSS px."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Locator, Page

from polku.accounts.enums import OrganisationKind, Role
from polku.accounts.models import Unit, User
from polku.clients.services import RelationshipTerms, record_consent, register_client
from polku.measures.services import load_shipped_instruments
from polku.pathways import services
from polku.pathways.models import Programme
from polku.policy.actors import Actor
from polku.policy.enums import ConsentMethod, DataCategory, LegalBasis, Purpose, Register
from polku.policy.models import ServiceRelationship
from polku.synthetic.volume import VolumeSeeder
from tests.browser.conftest import assert_accessible, new_page, sign_in

pytestmark = pytest.mark.browser
WIDTH = 320
PROFESSIONALS = 20_000


def phone_sized(browser: Browser, base_url: str, username: str) -> Page:
    return sign_in(browser, base_url, username, width=WIDTH, height=700)


def submit(button: Locator) -> None:
    """Press a button that sends a form, and wait for the page that answers."""
    with button.page.expect_navigation():
        button.click()


def check(axe, page: Page) -> None:
    """No sideways scrolling of the page at 320 px, and nothing for axe-core to find."""
    scroll_width, viewport = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert scroll_width <= viewport, f"{page.url} scrolls sideways: {scroll_width} > {viewport}"
    assert_accessible(axe, page)


def test_a_case_workers_week(
    live_server,
    browser,
    axe,
    settings,
    tmp_path: Path,
    programmes,
    make_organisation,
    make_professional,
):
    # Organisation A (employment area) runs the episode; B (rehabilitation) serves the
    # client too; 20,000 professionals work in the two.
    load_shipped_instruments()
    area = make_organisation("Työllisyysalue A", OrganisationKind.EMPLOYMENT_SERVICES)
    rehab = make_organisation("Kuntoutus B", OrganisationKind.HEALTH_CARE)
    maija = make_professional(
        "maija", Role.EMPLOYMENT_EXPERT, area, first_name="Maija", last_name="Manageri"
    )
    make_professional("jussi", Role.JOB_COACH, area, first_name="Jussi", last_name="Valmentaja")
    olli = make_professional("olli", Role.PHYSICIAN, rehab, first_name="Olli", last_name="Lääkäri")
    seeder = VolumeSeeder(seed=5)
    seeder.units = list(Unit.objects.filter(organisation__in=[area, rehab]))
    seeder.professionals(PROFESSIONALS)
    assert User.objects.count() == PROFESSIONALS + 3

    client = register_client(
        actor=Actor.for_user(maija),
        terms=RelationshipTerms(
            organisation=area,
            register=Register.EMPLOYMENT_SERVICES,
            legal_basis=LegalBasis.MULTI_SECTOR_ACT,
        ),
        first_names="Pauli",
        last_name="Polkunen",
        birth_date=date(1975, 6, 1),
        details={"phone": "040 123 4567"},
    ).client
    ServiceRelationship.objects.create(
        client=client,
        organisation=rehab,
        register=Register.HEALTH_CARE,
        legal_basis=LegalBasis.HEALTH_CARE_ACT,
        created_by=olli,
    )
    for discloser, recipient, categories, recorder in (
        (rehab, area, [DataCategory.BASIC], olli),
        (area, rehab, [DataCategory.BASIC, DataCategory.PLAN], maija),
    ):
        record_consent(
            actor=Actor.for_user(recorder),
            client=client,
            discloser=discloser,
            recipient=recipient,
            purpose=Purpose.SERVICE_COORDINATION,
            categories=categories,
            method=ConsentMethod.SIGNED_PAPER,
        )
    episode = services.open_episode(
        actor=Actor.for_user(maija),
        client=client,
        programme=Programme.objects.get(code="multi-sector-joint-service"),
        organisation=area,
        case_manager=maija,
        started_on=timezone.localdate() - timedelta(days=14),
    )
    url = live_server.url
    episode_url = f"{url}/episodes/{episode.public_id}/"
    sms_file = tmp_path / "sms.txt"
    settings.POLKU_SMS_BACKEND = "polku.core.sms.ConsoleBackend"
    settings.POLKU_SMS_FILE = str(sms_file)
    settings.POLKU_BASE_URL = url

    # Monday: the case manager gathers the team, finding each by name among 20,000.
    page = phone_sized(browser, url, "maija")
    check(axe, page)
    page.goto(f"{episode_url}team/")
    check(axe, page)
    for name in ("Olli Lää", "Jussi Valm"):
        page.get_by_label("Nimi").fill(name)
        submit(page.get_by_role("button", name="Hae"))
        check(axe, page)
        submit(page.get_by_role("button", name=f"Lisää {name.split()[0]}"))
        check(axe, page)
    members = page.get_by_role("region", name="Tiimin jäsenet ja heidän yhteystietonsa")
    assert "Olli Lääkäri" in members.inner_text()
    assert "Jussi Valmentaja" in members.inner_text()

    # A plan with two goals, each with its five levels, and four actions of three owners.
    page.goto(f"{episode_url}plan/")
    goals = {
        1: ("Haluan päästä puutöihin", "Työkokeilu puusepänverstaalla"),
        2: ("Haluan jaksaa arjessa paremmin", "Nukun kuusi tuntia yössä"),
    }
    levels = {
        "−2 odotettua paljon heikompi": "En ole kokeillut mitään",
        "−1 odotettua hieman heikompi": "Olen käynyt tutustumassa",
        "+1 odotettua hieman parempi": "Jatkan kokeilua toisen kuukauden",
        "+2 odotettua paljon parempi": "Saan työsopimuksen",
    }
    for number, (goal, expected) in goals.items():
        if number > 1:
            page.get_by_role("button", name="Lisää tavoite").click()
        page.get_by_label(f"Tavoite {number} asiakkaan omin sanoin").fill(goal)
        page.get_by_label(f"0 odotettu taso (tavoite {number})").fill(expected)
        for level, text in levels.items():
            page.get_by_label(f"{level} (tavoite {number})").fill(text)
        page.get_by_label(f"Tärkeys asiakkaalle (tavoite {number})").select_option("2")
        page.get_by_label(f"Vaikeus (tavoite {number})").select_option("2")
    today = timezone.localdate()
    actions = [
        ("Soita Kelaan kuntoutusrahasta", "Maija Manageri", today - timedelta(days=2), 2),
        ("Varaa työkokeilupaikka", "Maija Manageri", today + timedelta(days=7), 1),
        ("Käy verstaalla tutustumassa", "Jussi Valmentaja", today + timedelta(days=3), 1),
        ("Kirjoita lausunto työkyvystä", "Olli Lääkäri", today + timedelta(days=5), 2),
    ]
    for number, (text, owner, due, goal) in enumerate(actions, start=1):
        if number > 1:
            page.get_by_role("button", name="Lisää toimenpide").click()
        page.get_by_label(f"Toimenpide {number}", exact=True).fill(text)
        page.get_by_label(f"Kuka tekee (toimenpide {number})").select_option(label=owner)
        page.get_by_label(f"Valmis viimeistään (toimenpide {number})").fill(due.isoformat())
        page.get_by_label(f"Mitä tavoitetta edistää (toimenpide {number})").select_option(
            label=f"Tavoite {goal}: {goals[goal][0]}"
        )
    check(axe, page)
    submit(page.get_by_role("button", name="Tallenna suunnitelma"))
    assert page.url == episode_url
    check(axe, page)

    # Each owner finds their tasks on the worklist; the job coach marks his done there.
    tasks = page.get_by_role("region", name="Omat tehtäväni")
    page.goto(f"{url}/")
    assert "2 päivää myöhässä" in tasks.inner_text()
    assert "Varaa työkokeilupaikka" in tasks.inner_text()
    check(axe, page)
    physician = phone_sized(browser, url, "olli")
    own = physician.get_by_role("region", name="Omat tehtäväni")
    assert "Kirjoita lausunto työkyvystä" in own.inner_text()
    assert "Soita Kelaan" not in own.inner_text()
    check(axe, physician)
    coach = phone_sized(browser, url, "jussi")
    coach_tasks = coach.get_by_role("region", name="Omat tehtäväni")
    assert "Käy verstaalla tutustumassa" in coach_tasks.inner_text()
    submit(coach_tasks.get_by_role("button", name="Käy verstaalla tutustumassa"))
    assert "Käy verstaalla" not in coach.get_by_role("table").first.inner_text()
    check(axe, coach)

    # Wednesday: a questionnaire link goes to the client by text message, and is answered.
    page.goto(f"{url}/clients/{client.public_id}/measures/")
    check(axe, page)
    page.get_by_label("Mittari").select_option(label="Työkykypistemäärä (WAS) 1.1")
    page.get_by_label("Miten").select_option("link")
    submit(page.get_by_role("button", name="Aloita mittaus"))
    check(axe, page)
    submit(page.get_by_role("button", name="Lähetä tekstiviestinä numeroon"))
    check(axe, page)
    message = sms_file.read_text(encoding="utf-8")
    assert "To: +358401234567" in message
    assert "Polkunen" not in message  # nothing of the client but the link
    link = next(word for word in message.split() if word.startswith(f"{url}/q/"))
    mobile = new_page(browser, viewport={"width": WIDTH, "height": 640}, is_mobile=True)
    mobile.goto(link)
    check(axe, mobile)
    mobile.get_by_label("6", exact=True).check()
    submit(mobile.get_by_role("button", name="Lähetä vastaukset"))
    assert mobile.get_by_role("heading", level=1).inner_text() == "Kiitos vastauksistasi"
    page.goto(f"{url}/clients/{client.public_id}/measures/")
    check(axe, page)

    # Friday: the plan is reviewed goal by goal.
    page.goto(episode_url)
    submit(page.get_by_role("link", name="Arvioi suunnitelma"))
    for goal, level in (
        (goals[1][0], "+1 odotettua hieman parempi"),
        (goals[2][0], "0 odotettu taso"),
    ):
        page.get_by_role("group", name=goal).get_by_label(level).check()
    check(axe, page)
    submit(page.get_by_role("button", name="Tallenna arvio"))
    check(axe, page)
    review = page.get_by_role("region", name="Tavoitteiden saavuttaminen")
    rows = review.get_by_role("row").all_inner_texts()
    assert any(goals[1][0] in row and "Jatkan kokeilua toisen kuukauden" in row for row in rows)
    assert any(goals[2][0] in row and "Nukun kuusi tuntia yössä" in row for row in rows)
    # weights 4 and 4 at +1 and 0: 50 + 10·4 / √(0.7·32 + 0.3·64) = 56.2
    assert page.locator(".gas-review .score-summary__value").inner_text() == "56,2"

    # The physician's part is done: he leaves the team. The access log tells the week.
    page.goto(f"{episode_url}team/")
    submit(page.get_by_role("button", name="Poista tiimistä – Olli Lääkäri"))
    check(axe, page)
    assert "Olli Lääkäri" in page.get_by_role("region", name="Aiemmat tiimin jäsenet").inner_text()

    page.goto(f"{url}/clients/{client.public_id}/access-log/")
    check(axe, page)
    log = page.get_by_role("main").inner_text()
    assert "merkitsi suunnitelman tehtävän tehdyksi" in log
    assert "poisti tiimistä jäsenen" in log

    # The client found work: the episode ends through its confirmation.
    page.goto(episode_url)
    page.get_by_label("Miksi jakso päättyy").select_option(label="Työ avoimilla työmarkkinoilla")
    submit(page.get_by_role("button", name="Päätä jakso…"))
    assert page.get_by_role("heading", name="Mitä tästä seuraa").is_visible()
    check(axe, page)
    submit(page.get_by_role("button", name="Päätä jakso", exact=True))
    assert page.get_by_role("status").inner_text() == "Jakso on päättynyt."
    check(axe, page)
    physician.goto(f"{url}/")
    assert (
        "Kirjoita lausunto"
        not in physician.get_by_role("region", name="Omat tehtäväni").inner_text()
    )
