"""A unit's fidelity self-review on a 320 CSS pixel wide screen: the history with its chart,
the scoring form, a finalising refused for a missing score, and the final review; nothing
scrolls sideways and axe-core finds nothing to fix."""

from datetime import timedelta

import pytest
from django.utils import timezone

from polku.accounts.enums import OrganisationKind, Role
from polku.accounts.models import Membership
from polku.employment import fidelity_services
from polku.employment.models import FidelityReview, ReviewStatus
from polku.employment.tests.fidelity_fixtures import scores_of
from polku.policy.actors import Actor
from polku.synthetic.fidelity import seed_demo_fidelity
from tests.browser.conftest import sign_in
from tests.browser.test_phone_layout import HEIGHT, WIDTH, problems_of

pytestmark = pytest.mark.browser


def test_a_units_fidelity_review_reflows_on_a_phone(
    live_server, browser, axe, make_organisation, make_professional
):
    fidelity_services.ensure_scale()
    ngo = make_organisation("Askel eteenpäin ry", OrganisationKind.NGO)
    coach = make_professional("jussi", Role.JOB_COACH, ngo, first_name="Jussi")
    seed_demo_fidelity(coach)
    unit = Membership.objects.get(user=coach).unit
    actor = Actor.for_user(coach)
    draft = fidelity_services.start_review(
        actor=actor, unit=unit, reviewed_on=timezone.localdate() - timedelta(days=1)
    )
    fidelity_services.save_scores(actor=actor, review=draft, scores=scores_of((4,) * 24))
    final = FidelityReview.objects.filter(status=ReviewStatus.FINAL).last()
    url = live_server.url

    page = sign_in(browser, url, "jussi", width=WIDTH, height=HEIGHT)
    problems: list[str] = []
    for address in (
        f"{url}/fidelity/",
        f"{url}/fidelity/units/{unit.pk}/new/",
        f"{url}/fidelity/reviews/{draft.pk}/",
        f"{url}/fidelity/reviews/{final.pk}/",
    ):
        page.goto(address)
        problems += problems_of(axe, page)

    # Finalising with item 25 unscored is refused with the error summary; nothing changes.
    page.goto(f"{url}/fidelity/reviews/{draft.pk}/")
    page.locator("button[value=finalise]").click()
    assert page.locator(".error-summary").is_visible()
    problems += problems_of(axe, page)
    draft.refresh_from_db()
    assert draft.status == ReviewStatus.DRAFT

    # With item 25 scored it is final.
    page.locator("#id_score_25_2").check()  # the third choice: 3
    page.locator("button[value=finalise]").click()
    page.wait_for_url(f"{url}/fidelity/")
    draft.refresh_from_db()
    assert draft.status == ReviewStatus.FINAL
    assert sum(draft.scores.values_list("score", flat=True)) == 24 * 4 + 3
    problems += problems_of(axe, page)
    assert problems == [], "\n".join(problems)
