"""E-mail notifications without client data: a new referral, a handover offered, being
added to a team; queued when the change commits, never for a change refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from polku.accounts.enums import Role
from polku.accounts.models import Membership, Unit
from polku.pathways import services
from polku.pathways.tests.test_tasks import consent_to_b

pytestmark = pytest.mark.django_db

REASON = "Epäily uupumuksesta, työkyvyn arvio tarpeen"


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def refer(team, **to):
    return services.send_referral(
        actor=team.actor(),
        client=team.client,
        from_organisation=team.org_a,
        to_organisation=team.org_b,
        reason=REASON,
        urgency="normal",
        shared_categories=["plan"],
        **to,
    )


def open_episode(team):
    return services.open_episode(
        actor=team.actor(),
        client=team.client,
        programme=team.programme,
        organisation=team.org_a,
        case_manager=team.manager,
    )


def add_colleague_to_team(team, episode) -> None:
    services.add_team_member(
        actor=team.actor(),
        episode=episode,
        membership=Membership.objects.get(user=team.colleague, organisation=team.org_a),
        team_role="Työkykykoordinaattori",
    )


def assert_no_client_data(team, messages, *more: str) -> None:
    for message in messages:
        for text in (message.subject, message.body):
            for secret in ("Pauli", "Polkunen", str(team.client.public_id), *more):
                assert secret.lower() not in text.lower()


def test_a_referral_to_an_organisation_notifies_its_client_workers_only(
    team, make_professional, mailoutbox, django_capture_on_commit_callbacks
):
    consent_to_b(team)
    make_professional("b_manager", Role.PROJECT_MANAGER, team.org_b)

    with django_capture_on_commit_callbacks(execute=True):
        referral = refer(team)

    [message] = mailoutbox
    assert message.to == ["receiver@example.invalid"]
    assert message.subject == "Polku: uusi lähete"
    assert "organisaatiosi vastausta" in message.body
    path = reverse("pathways:referral", kwargs={"public_id": referral.public_id})
    assert f"http://127.0.0.1:8000{path}" in message.body
    assert_no_client_data(team, mailoutbox, "uupum", "työkyvyn arvio", "Työllisyysalue")


def test_a_referral_to_a_named_professional_notifies_only_them(
    team, make_professional, mailoutbox, django_capture_on_commit_callbacks
):
    consent_to_b(team)
    make_professional("second", Role.PHYSICIAN, team.org_b)

    with django_capture_on_commit_callbacks(execute=True):
        refer(team, to_user=team.receiver)

    assert [m.to for m in mailoutbox] == [["receiver@example.invalid"]]
    assert "odottaa vastaustasi" in mailoutbox[0].body
    assert_no_client_data(team, mailoutbox, "uupum")


def test_a_referral_to_a_unit_notifies_that_units_client_workers(
    team, make_professional, mailoutbox, django_capture_on_commit_callbacks
):
    consent_to_b(team)
    rehabilitation = Unit.objects.create(organisation=team.org_b, name="Kuntoutustutkimus")
    other = make_professional("in_unit", Role.PSYCHOLOGIST, team.org_b)
    Membership.objects.filter(user=other).update(unit=rehabilitation)

    with django_capture_on_commit_callbacks(execute=True):
        refer(team, to_unit=rehabilitation)

    assert [m.to for m in mailoutbox] == [["in_unit@example.invalid"]]


def test_a_refused_referral_notifies_no_one(team, mailoutbox, django_capture_on_commit_callbacks):
    # no consent: B may not be told who the client is
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        refer(team)

    assert mailoutbox == []


def test_a_handover_notifies_the_proposed_case_manager(
    team, mailoutbox, django_capture_on_commit_callbacks
):
    episode = open_episode(team)

    with django_capture_on_commit_callbacks(execute=True):
        services.propose_handover(
            actor=team.actor(), episode=episode, to_user=team.colleague, note="Jään lomalle"
        )

    [message] = mailoutbox
    assert message.to == ["colleague@example.invalid"]
    assert message.subject == "Polku: sinua pyydetään asiakasvastaavaksi"
    assert "Maija Aaltomaa" in message.body
    assert "http://127.0.0.1:8000/" in message.body
    assert_no_client_data(team, mailoutbox, "lomalle")


def test_being_added_to_a_team_notifies_the_member_but_adding_oneself_does_not(
    team, mailoutbox, django_capture_on_commit_callbacks
):
    episode = open_episode(team)

    with django_capture_on_commit_callbacks(execute=True):
        add_colleague_to_team(team, episode)
        services.add_team_member(
            actor=team.actor(),
            episode=episode,
            membership=Membership.objects.get(user=team.manager, organisation=team.org_a),
            team_role="Asiakasvastaava",
        )

    [message] = mailoutbox
    assert message.to == ["colleague@example.invalid"]
    assert message.subject == "Polku: sinut lisättiin asiakkaan tiimiin"
    assert_no_client_data(team, mailoutbox, "Työkykykoordinaattori")


def test_a_notification_is_queued_only_when_the_change_commits(
    team, mailoutbox, django_capture_on_commit_callbacks
):
    episode = open_episode(team)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.propose_handover(actor=team.actor(), episode=episode, to_user=team.colleague)

    assert mailoutbox == []
    for callback in callbacks:
        callback()
    assert [m.to for m in mailoutbox] == [["colleague@example.invalid"]]


def test_an_inactive_professional_is_not_notified(
    team, mailoutbox, django_capture_on_commit_callbacks
):
    episode = open_episode(team)
    team.colleague.is_active = False
    team.colleague.save()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        add_colleague_to_team(team, episode)

    assert mailoutbox == []
