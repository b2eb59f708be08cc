"""Work trials on a 320 CSS pixel wide screen: the coach's pages (the coaching's trials,
arranging one, the trial with the comparison) and the host's feedback form and its pages
for a link that no longer works; nothing scrolls sideways and axe-core finds nothing."""

import pytest

from polku.employment import access
from polku.employment import worktrial_services as services
from polku.employment.tests.worktrial_world import make_trial_world
from polku.employment.worktrial_enums import DEFAULT_AREA_CODES
from polku.measures.services import load_shipped_instruments
from tests.browser.conftest import new_page, sign_in
from tests.browser.test_phone_layout import HEIGHT, WIDTH, problems_of

pytestmark = pytest.mark.browser


def test_work_trial_pages_reflow_on_a_phone(
    live_server, browser, axe, programmes, make_organisation, make_professional
):
    load_shipped_instruments()
    trials = make_trial_world(make_organisation, make_professional)
    actor = trials.world.actor()
    finished = trials.arrange(
        areas=[
            *({"code": code, "label": ""} for code in DEFAULT_AREA_CODES),
            {"code": "", "label": "Asiakaspalvelu ja kassatyö ruuhka-aikoina"},
        ]
    )
    trials.consent(finished)
    done = services.send_feedback_link(actor=actor, trial=finished)
    services.save_feedback(
        actor=access.feedback_link_holder(done.link),
        link=done.link,
        ratings={**dict.fromkeys(DEFAULT_AREA_CODES, 4), "custom-1": 2},
        comments={"pace": "Tahti nopeutui toisella viikolla, kun lajittelu tuli tutuksi."},
        overall="Luotettava ja oma-aloitteinen.",
        submit=True,
    )
    services.start_self_rating(actor=actor, trial=finished)
    open_trial = trials.arrange(employer=trials.other_host, contact_person=trials.other_contact)
    trials.consent(open_trial)
    sent = services.send_feedback_link(actor=actor, trial=open_trial)
    url = live_server.url

    page = sign_in(browser, url, "coach", width=WIDTH, height=HEIGHT)
    problems: list[str] = []
    for address in (
        f"/coaching/{trials.coaching.public_id}/",
        f"/coaching/{trials.coaching.public_id}/work-trials/new/",
        f"/work-trials/{finished.public_id}/",
        f"/work-trials/{open_trial.public_id}/",
    ):
        page.goto(url + address)
        problems += problems_of(axe, page)

    host = new_page(browser, viewport={"width": WIDTH, "height": HEIGHT})
    for address in (
        f"/feedback/{sent.token}/",
        f"/feedback/{sent.token}/?lang=sv",
        f"/feedback/{done.token}/",
        "/feedback/not-a-token/",
    ):
        host.goto(url + address)
        problems += problems_of(axe, host)
    host.goto(f"{url}/feedback/{sent.token}/?lang=en")
    host.locator("button[name=submit]").click()
    assert host.locator(".error-summary").is_visible()
    problems += problems_of(axe, host)

    # Every area rated in the browser and sent: the thank-you page, the link used.
    for code in DEFAULT_AREA_CODES:
        host.locator(f"#id_rating_{code}_3").check()
    host.locator("button[name=submit]").click()
    assert host.get_by_role("heading", name="Thank you for your feedback").is_visible()
    problems += problems_of(axe, host)
    sent.link.refresh_from_db()
    assert sent.link.submitted_at is not None
    assert problems == [], "\n".join(problems)
