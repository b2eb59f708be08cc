"""The host's feedback link: it opens without an account, shows only the trial's own facts
and the client's first name, and every use is in the access log as the link holder. An
expired, used, withdrawn or altered link, or one whose consent has ended, changes nothing
and says why in plain words; a link for one trial never reaches another."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client as Browser
from django.utils import timezone

from polku.audit.enums import AuditEvent
from polku.audit.models import AccessLogEntry
from polku.clients import services as client_services
from polku.employment import access
from polku.employment import worktrial_services as services
from polku.employment.models import Coaching, EmployerFeedback, FeedbackLink, WorkTrial
from polku.employment.tests.worktrial_world import IDENTITY_CODE, TrialWorld, make_trial_world
from polku.employment.worktrial_enums import DEFAULT_AREA_CODES
from polku.policy.actors import ActorKind
from polku.policy.enums import Action, BasisKind, DataCategory, Purpose, WithdrawalMethod
from polku.policy.models import Consent

pytestmark = pytest.mark.django_db


@pytest.fixture
def trials(programmes, make_organisation, make_professional) -> TrialWorld:
    return make_trial_world(make_organisation, make_professional)


EVERY_AREA = {f"rating_{code}": "4" for code in DEFAULT_AREA_CODES}


@pytest.fixture
def sent(trials: TrialWorld) -> tuple[WorkTrial, services.FeedbackLinkSent]:
    trial = trials.arrange()
    trials.consent(trial)
    return trial, services.send_feedback_link(actor=trials.world.actor(), trial=trial)


def _url(token: str) -> str:
    return f"/feedback/{token}/"


def _state(trial: WorkTrial) -> tuple:
    """Everything a use of a link could change, to compare before and after."""
    return (
        list(FeedbackLink.objects.filter(trial=trial).values_list("submitted_at", "withdrawn_at")),
        list(
            EmployerFeedback.objects.filter(link__trial=trial).values_list(
                "ratings", "comments", "overall", "submitted_at"
            )
        ),
        WorkTrial.objects.filter(pk=trial.pk).values_list("areas", "tasks").get(),
    )


def _new_rows(after: int) -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(pk__gt=after).order_by("pk"))


def _last() -> int:
    last = AccessLogEntry.objects.order_by("-pk").first()
    return last.pk if last else 0


def test_the_form_opens_without_an_account_and_shows_the_first_name_only(sent, client: Browser):
    trial, link = sent
    after = _last()

    response = client.get(_url(link.token))

    assert response.status_code == 200
    html = response.content.decode()
    for shown in (
        "Pauli",
        "Varasto, vastaanotto",
        "Tavaroiden vastaanotto ja hyllytys",
        "Pirkan Varasto Oy",
        "Jaana",
    ):
        assert shown in html
    for hidden in (
        "Olavi",
        "Polkunen",
        IDENTITY_CODE,
        IDENTITY_CODE[:6],
        "Kuusikatu",
        "33100",
        str(trial.client.public_id),
        str(trial.public_id),
    ):
        assert hidden not in html
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"
    [row] = _new_rows(after)
    assert (row.actor_kind, row.client_public_id, row.action, row.basis, row.categories) == (
        ActorKind.LINK_HOLDER,
        trial.client.public_id,
        Action.VIEW,
        BasisKind.LINK,
        DataCategory.EMPLOYMENT,
    )
    assert (row.actor_id, row.purpose, row.owner_id) == (
        f"employment.worktrial:{trial.pk}",
        Purpose.EMPLOYMENT_SUPPORT,
        trial.organisation_id,
    )


def test_draft_then_submit_through_the_page_each_logged(sent, client: Browser):
    trial, link = sent
    after = _last()

    draft = client.post(
        _url(link.token), {"rating_pace": "2", "comment_pace": "Aluksi hidas", "save": "1"}
    )
    assert draft.status_code == 302
    assert EmployerFeedback.objects.get().ratings == {"pace": 2}
    assert client.get(_url(link.token)).status_code == 200  # the draft is still open

    done = client.post(_url(link.token), {**EVERY_AREA, "overall": "Sujui hyvin", "submit": "1"})

    assert done.status_code == 200
    feedback = EmployerFeedback.objects.get()
    assert feedback.ratings == dict.fromkeys(DEFAULT_AREA_CODES, 4)
    assert (feedback.overall, feedback.comments) == ("Sujui hyvin", {})
    rows = _new_rows(after)
    assert [(r.actor_kind, r.event, r.action) for r in rows] == [
        (ActorKind.LINK_HOLDER, AuditEvent.EMPLOYER_FEEDBACK_SAVED, Action.CHANGE),
        (ActorKind.LINK_HOLDER, "", Action.VIEW),
        (ActorKind.LINK_HOLDER, AuditEvent.EMPLOYER_FEEDBACK_SUBMITTED, Action.CHANGE),
    ]
    assert {r.client_public_id for r in rows} == {trial.client.public_id}
    assert client.get(_url(link.token)).status_code == 410


def test_sending_with_a_missing_rating_says_so_and_changes_nothing(sent, client: Browser):
    trial, link = sent
    before = _state(trial)
    posted = dict(EVERY_AREA)
    del posted["rating_learning"]

    response = client.post(_url(link.token), {**posted, "submit": "1"})

    assert response.status_code == 400
    assert "Rate this area before sending." in response.content.decode()
    assert _state(trial) == before


def _expire(link: FeedbackLink) -> None:
    FeedbackLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(minutes=1))


def _use(link: FeedbackLink) -> None:
    FeedbackLink.objects.filter(pk=link.pk).update(submitted_at=timezone.now())


def _withdraw(link: FeedbackLink, trials: TrialWorld) -> None:
    services.withdraw_feedback_link(actor=trials.world.actor(), trial=link.trial)


@pytest.mark.parametrize(
    ("spoil", "status", "words"),
    [
        ("expire", 410, "The link has expired."),
        ("use", 410, "The feedback has already been sent through this link"),
        ("withdraw", 410, "The job coach has withdrawn this link."),
        ("alter", 404, "No feedback form is found at this address."),
    ],
)
def test_a_spoilt_link_changes_nothing_and_says_why(
    sent, trials, client: Browser, spoil, status, words
):
    trial, link = sent
    token = link.token
    if spoil == "expire":
        _expire(link.link)
    elif spoil == "use":
        _use(link.link)
    elif spoil == "withdraw":
        _withdraw(link.link, trials)
    else:
        token = token[:-1] + ("A" if token[-1] != "A" else "B")
    before, after = _state(trial), _last()

    shown = client.get(_url(token))
    posted = client.post(_url(token), {**EVERY_AREA, "submit": "1"})

    for response in (shown, posted):
        assert response.status_code == status
        html = response.content.decode()
        assert words in html
        assert "Pauli" not in html
        assert "hyllytys" not in html
    assert _state(trial) == before
    assert _new_rows(after) == []


def test_a_link_whose_consent_was_withdrawn_after_sending_is_refused_and_logged(
    sent, trials, client: Browser
):
    trial, link = sent
    consent = Consent.objects.get(
        client=trial.client, purpose=Purpose.EMPLOYMENT_SUPPORT, recipient__kind="employer"
    )
    client_services.withdraw_consent(
        actor=trials.world.actor(), consent=consent, withdrawal_method=WithdrawalMethod.PHONE
    )
    before, after = _state(trial), _last()

    shown = client.get(_url(link.token))
    posted = client.post(_url(link.token), {**EVERY_AREA, "submit": "1"})

    for response in (shown, posted):
        assert response.status_code == 410
        html = response.content.decode()
        assert "consent to share it with your workplace is not in force" in html
        assert "Pauli" not in html
        assert "hyllytys" not in html
    assert _state(trial) == before
    rows = _new_rows(after)
    assert [(r.actor_kind, r.event, r.basis, r.client_public_id) for r in rows] == [
        (ActorKind.LINK_HOLDER, AuditEvent.FEEDBACK_LINK_REFUSED, "", trial.client.public_id)
    ] * 2


def test_a_consent_that_expired_refuses_the_link(sent, client: Browser):
    trial, link = sent
    Consent.objects.filter(client=trial.client, recipient__kind="employer").update(
        valid_from=timezone.localdate() - timedelta(days=10),
        valid_until=timezone.localdate() - timedelta(days=1),
    )
    assert client.get(_url(link.token)).status_code == 410


def test_a_link_for_one_trial_cannot_reach_another(sent, trials, client: Browser):
    trial, link = sent
    other_coaching = trials.world.new_coaching(number=1, started_on=trials.coaching.started_on)
    other = trials.arrange(coaching=other_coaching)
    trials.consent(other)
    other_link = services.send_feedback_link(actor=trials.world.actor(), trial=other)
    other_before = _state(other)

    # a tampered form names the other trial and link: the token alone decides
    response = client.post(
        _url(link.token),
        {
            **EVERY_AREA,
            "trial": str(other.public_id),
            "link": str(other_link.link.pk),
            "public_id": str(other.public_id),
            "submit": "1",
        },
    )

    assert response.status_code == 200
    assert _state(other) == other_before
    assert EmployerFeedback.objects.get().link == link.link
    # and the holder of one link is not let into the other trial
    holder = access.feedback_link_holder(link.link)
    with pytest.raises(Http404):
        access.access_work_trial(holder, other.public_id)
    with pytest.raises(PermissionDenied):
        services.save_feedback(
            actor=holder,
            link=other_link.link,
            ratings={"pace": 1},
            comments={},
            overall="",
            submit=False,
        )
    assert _state(other) == other_before
    assert access.access_work_trial(holder, trial.public_id)[0] == trial


def test_a_feedback_link_reaches_its_trial_and_no_other_employment_record(trials, sent):
    trial, done = sent
    other = trials.arrange()  # a second trial of the same client and owner
    holder = access.feedback_link_holder(done.link)

    assert list(WorkTrial.objects.visible_to(holder)) == [trial]
    assert not Coaching.objects.visible_to(holder).exists()
    for find, public_id in (
        (access.access_work_trial, other.public_id),
        (access.access_coaching, trials.coaching.public_id),
    ):
        with pytest.raises(Http404):
            find(holder, public_id)
    assert access.access_work_trial(holder, trial.public_id)[0] == trial
