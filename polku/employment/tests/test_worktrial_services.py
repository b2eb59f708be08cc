"""Work trials' acts: each checked by the policy, logged, and refused without a trace."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from polku.accounts.enums import OrganisationKind
from polku.audit.enums import AuditEvent
from polku.audit.models import AccessLogEntry
from polku.core.tokens import token_hash
from polku.employment import access
from polku.employment import worktrial_services as services
from polku.employment.models import EmployerFeedback, FeedbackLink, WorkTrial
from polku.employment.tests.worktrial_world import TODAY, TrialWorld, make_trial_world
from polku.employment.worktrial_enums import DEFAULT_AREA_CODES, LinkState
from polku.measures.enums import AdministrationStatus
from polku.measures.services import load_shipped_instruments
from polku.policy.enums import Action, DataCategory, Purpose
from polku.policy.models import Consent

pytestmark = pytest.mark.django_db


@pytest.fixture
def trials(programmes, make_organisation, make_professional) -> TrialWorld:
    return make_trial_world(make_organisation, make_professional)


ALL_FIVE = dict.fromkeys(DEFAULT_AREA_CODES, 4)


def _events() -> list[str]:
    return list(
        AccessLogEntry.objects.exclude(event="").order_by("pk").values_list("event", flat=True)
    )


def test_a_trial_is_arranged_in_the_coachings_owner_and_register_with_the_default_areas(
    trials: TrialWorld,
):
    # when the coach arranges a trial
    trial = trials.arrange()

    # then it is the coaching's, with the six default areas, and logged
    assert (trial.client, trial.organisation, trial.register) == (
        trials.coaching.client,
        trials.coaching.organisation,
        trials.coaching.register,
    )
    assert trial.area_codes == [
        "punctuality",
        "pace",
        "quality",
        "learning",
        "cooperation",
        "coping_and_health",
    ]
    row = AccessLogEntry.objects.get(event=AuditEvent.WORK_TRIAL_ARRANGED)
    assert (row.client_public_id, row.action, row.categories) == (
        trial.client.public_id,
        Action.CREATE,
        DataCategory.EMPLOYMENT,
    )


def test_custom_areas_keep_the_coachs_words_and_duplicates_are_refused(trials: TrialWorld):
    trial = trials.arrange(
        areas=[
            {"code": "pace", "label": ""},
            {"code": "", "label": "Asiakaspalvelu  kassalla"},
        ]
    )
    assert trial.areas == [
        {"code": "pace", "label": ""},
        {"code": "custom-1", "label": "Asiakaspalvelu kassalla"},
    ]
    before = WorkTrial.objects.count()
    with pytest.raises(ValidationError) as refused:
        trials.arrange(areas=[{"code": "", "label": "Kassa"}, {"code": "", "label": "kassa"}])
    assert "areas" in refused.value.message_dict
    assert WorkTrial.objects.count() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_on": TODAY - timedelta(days=40)}, "ends_on"),
        ({"tasks": "  "}, "tasks"),
        ({"purpose": "holiday"}, "purpose"),
    ],
)
def test_bad_facts_are_refused_and_nothing_is_saved(trials: TrialWorld, changes, field):
    with pytest.raises(ValidationError) as refused:
        trials.arrange(**changes)
    assert field in refused.value.message_dict
    assert not WorkTrial.objects.exists()
    assert AuditEvent.WORK_TRIAL_ARRANGED not in _events()


def test_a_contact_person_of_another_employer_is_refused(trials: TrialWorld):
    with pytest.raises(ValidationError) as refused:
        trials.arrange(contact_person=trials.other_contact)
    assert "contact_person" in refused.value.message_dict
    assert not WorkTrial.objects.exists()


def test_outsiders_and_readers_cannot_arrange_and_nothing_changes(trials: TrialWorld):
    world = trials.world
    world.consent_to_c(trials.coaching.client)
    rows = AccessLogEntry.objects.count()
    for user, refusal in ((world.other_coach, Http404), (world.reader, PermissionDenied)):
        with pytest.raises(refusal):
            services.arrange_work_trial(
                actor=world.actor(user),
                coaching=trials.coaching,
                employer=trials.host,
                contact_person=trials.host_contact,
                starts_on=TODAY,
                ends_on=TODAY,
                tasks="x",
                purpose="trying_a_field",
            )
    assert not WorkTrial.objects.exists()
    assert AccessLogEntry.objects.count() == rows


def test_no_link_without_the_clients_consent_to_the_host(trials: TrialWorld):
    trial = trials.arrange()
    rows = AccessLogEntry.objects.count()

    with pytest.raises(ValidationError) as refused:
        services.send_feedback_link(actor=trials.world.actor(), trial=trial)

    assert refused.value.code == "no_consent"
    assert "consent" in refused.value.messages[0]
    assert not FeedbackLink.objects.exists()
    assert mail.outbox == []
    assert AccessLogEntry.objects.count() == rows


def test_recording_the_consent_creates_and_links_the_hosts_organisation(trials: TrialWorld):
    trial = trials.arrange()

    trials.consent(trial)

    trials.host.refresh_from_db()
    host_org = trials.host.organisation
    assert host_org is not None
    assert (host_org.name, host_org.kind, host_org.business_id) == (
        "Pirkan Varasto Oy",
        OrganisationKind.EMPLOYER,
        "2345678-0",
    )
    consent = Consent.objects.get(recipient=host_org)
    assert (consent.client, consent.discloser, consent.purpose) == (
        trial.client,
        trial.organisation,
        Purpose.EMPLOYMENT_SUPPORT,
    )
    assert [c.category for c in consent.categories.all()] == [DataCategory.EMPLOYMENT]
    assert services.employer_consent(trial) == consent


def test_a_link_is_sent_once_its_token_only_in_the_link_and_the_message_names_no_client(
    trials: TrialWorld,
):
    trial = trials.arrange()
    trials.consent(trial)

    sent = services.send_feedback_link(actor=trials.world.actor(), trial=trial)

    link = FeedbackLink.objects.get()
    assert link.token_hash == token_hash(sent.token) != sent.token
    assert sent.url.endswith(f"/feedback/{sent.token}/")
    assert (link.contact_person, link.state()) == (trials.host_contact, LinkState.USABLE)
    assert timedelta(days=20, hours=23) < link.expires_at - link.created_at <= timedelta(days=21)
    assert [m.to for m in mail.outbox] == [["hanna@varasto.example.invalid"]]
    body = f"{mail.outbox[0].subject} {mail.outbox[0].body}"
    assert sent.url in body
    for secret in ("Pauli", "Olavi", "Polkunen", "Varasto, vastaanotto", "hyllytys"):
        assert secret not in body
    assert AuditEvent.FEEDBACK_LINK_SENT in _events()


def test_a_new_link_withdraws_the_old_and_carries_its_draft(trials: TrialWorld):
    trial = trials.arrange()
    trials.consent(trial)
    actor = trials.world.actor()
    first = services.send_feedback_link(actor=actor, trial=trial)
    holder = access.feedback_link_holder(first.link)
    services.save_feedback(
        actor=holder, link=first.link, ratings={"pace": 3}, comments={}, overall="", submit=False
    )

    second = services.send_feedback_link(actor=actor, trial=trial)

    first.link.refresh_from_db()
    assert first.link.state() == LinkState.WITHDRAWN
    assert second.link.state() == LinkState.USABLE
    assert EmployerFeedback.objects.get(link=second.link).ratings == {"pace": 3}


def test_withdrawing_the_link(trials: TrialWorld):
    trial = trials.arrange()
    trials.consent(trial)
    sent = services.send_feedback_link(actor=trials.world.actor(), trial=trial)

    services.withdraw_feedback_link(actor=trials.world.actor(), trial=trial)

    sent.link.refresh_from_db()
    assert sent.link.state() == LinkState.WITHDRAWN
    assert sent.link.withdrawn_by == trials.world.coach
    with pytest.raises(ValidationError):
        services.withdraw_feedback_link(actor=trials.world.actor(), trial=trial)


def test_draft_then_submit_and_missing_ratings_change_nothing(trials: TrialWorld):
    trial = trials.arrange()
    trials.consent(trial)
    sent = services.send_feedback_link(actor=trials.world.actor(), trial=trial)
    holder = access.feedback_link_holder(sent.link)

    services.save_feedback(
        actor=holder,
        link=sent.link,
        ratings={"pace": "2", "punctuality": 5, "not-an-area": 5},
        comments={"pace": " Aluksi hidas. "},
        overall="",
        submit=False,
    )
    draft = EmployerFeedback.objects.get()
    assert (draft.ratings, draft.comments, draft.submitted_at) == (
        {"punctuality": 5, "pace": 2},
        {"pace": "Aluksi hidas."},
        None,
    )

    with pytest.raises(ValidationError) as refused:
        services.save_feedback(
            actor=holder, link=sent.link, ratings={"pace": 3}, comments={}, overall="x", submit=True
        )
    assert set(refused.value.message_dict) == {
        "rating_punctuality",
        "rating_quality",
        "rating_learning",
        "rating_cooperation",
        "rating_coping_and_health",
    }
    draft.refresh_from_db()
    assert (draft.ratings, draft.overall) == ({"punctuality": 5, "pace": 2}, "")

    services.save_feedback(
        actor=holder, link=sent.link, ratings=ALL_FIVE, comments={}, overall="Hyvä", submit=True
    )
    sent.link.refresh_from_db()
    assert sent.link.state() == LinkState.USED
    assert EmployerFeedback.objects.get().submitted_at == sent.link.submitted_at
    with pytest.raises(PermissionDenied):
        services.save_feedback(
            actor=holder, link=sent.link, ratings={"pace": 1}, comments={}, overall="", submit=False
        )
    assert EmployerFeedback.objects.get().ratings == ALL_FIVE
    assert [e for e in _events() if "feedback" in e] == [
        AuditEvent.FEEDBACK_LINK_SENT,
        AuditEvent.EMPLOYER_FEEDBACK_SAVED,
        AuditEvent.EMPLOYER_FEEDBACK_SUBMITTED,
    ]


def test_areas_stay_once_the_host_has_sent_feedback(trials: TrialWorld):
    trial = trials.arrange()
    trials.consent(trial)
    sent = services.send_feedback_link(actor=trials.world.actor(), trial=trial)
    services.save_feedback(
        actor=access.feedback_link_holder(sent.link),
        link=sent.link,
        ratings=ALL_FIVE,
        comments={},
        overall="",
        submit=True,
    )
    facts: dict[str, Any] = {
        "contact_person": trial.contact_person,
        "starts_on": trial.starts_on,
        "ends_on": trial.ends_on + timedelta(days=7),
        "tasks": trial.tasks,
        "purpose": trial.purpose,
    }

    with pytest.raises(ValidationError) as refused:
        services.update_work_trial(
            actor=trials.world.actor(), trial=trial, areas=[{"code": "pace", "label": ""}], **facts
        )
    assert "areas" in refused.value.message_dict
    trial.refresh_from_db()
    assert len(trial.areas) == 6

    services.update_work_trial(actor=trials.world.actor(), trial=trial, **facts)
    trial.refresh_from_db()
    assert trial.ends_on == facts["ends_on"]


def test_the_clients_self_rating_is_started_and_linked(trials: TrialWorld):
    load_shipped_instruments()
    trial = trials.arrange()

    services.start_self_rating(actor=trials.world.actor(), trial=trial)

    trial.refresh_from_db()
    administration = trial.self_rating
    assert administration is not None
    assert administration.instrument.code == "work-trial-self-rating"
    assert (administration.client, administration.status, administration.register) == (
        trial.client,
        AdministrationStatus.DRAFT,
        trial.register,
    )
    assert [i.code for i in administration.instrument.definition.items] == list(DEFAULT_AREA_CODES)
    with pytest.raises(ValidationError):
        services.start_self_rating(actor=trials.world.actor(), trial=trial)
