"""Ending an episode and declining a referral: a reason chosen on purpose, a confirmation
that says what follows, the act only when confirmed with the values shown, and reopening an
episode ended by mistake as an audited correction."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from polku.accounts.enums import Role
from polku.accounts.models import Membership
from polku.audit.models import AccessLogEntry
from polku.core.tests.test_confirmation import confirmed
from polku.pathways import services
from polku.pathways.models import Episode, EpisodeReopening, Referral
from polku.pathways.tests.test_referrals import consent_to_b, refer
from polku.policy.models import ReferralGrant

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def events(event: str) -> int:
    return AccessLogEntry.objects.filter(event=event).count()


@pytest.fixture
def episode(team):
    episode = services.open_episode(
        actor=team.actor(),
        client=team.client,
        programme=team.programme,
        organisation=team.org_a,
        started_on=TODAY - timedelta(days=40),
        case_manager=team.manager,
    )
    services.add_team_member(
        actor=team.actor(),
        episode=episode,
        membership=Membership.objects.get(user=team.colleague, organisation=team.org_a),
        team_role="Työkykykoordinaattori",
    )
    return episode


def end_url(episode: Episode) -> str:
    return reverse("pathways:episode_end", kwargs={"public_id": episode.public_id})


def reopen_url(episode: Episode) -> str:
    return reverse("pathways:episode_reopen", kwargs={"public_id": episode.public_id})


def episode_url(episode: Episode) -> str:
    return reverse("pathways:episode", kwargs={"public_id": episode.public_id})


# Ending an episode --------------------------------------------------------------------------


def test_the_end_reason_is_not_preselected(team, episode, client):
    client.force_login(team.manager)

    page = client.get(episode_url(episode)).content.decode()

    assert '<option value="" selected>– choose –</option>' in page
    assert 'action="' + end_url(episode) + '"' in page


def test_ending_without_a_reason_is_refused_and_changes_nothing(team, episode, client):
    client.force_login(team.manager)

    response = client.post(end_url(episode), {"end-end_reason": "", "end-ended_on": ""})

    assert response.status_code == 400
    assert "Choose why the episode ends." in response.content.decode()
    episode.refresh_from_db()
    assert (episode.ended_on, episode.end_reason) == (None, "")
    assert events("episode_ended") == 0


def test_an_end_before_a_team_member_joined_is_refused_and_changes_nothing(team, episode, client):
    client.force_login(team.manager)
    earlier = TODAY - timedelta(days=10)

    response = client.post(
        end_url(episode),
        {"end-end_reason": "education", "end-ended_on": earlier.isoformat()},
    )

    assert response.status_code == 400
    assert "A team member joined on" in response.content.decode()
    episode.refresh_from_db()
    assert episode.is_active
    assert events("episode_ended") == 0


def test_the_confirmation_says_what_will_follow_and_changes_nothing(team, episode, client):
    consent_to_b(team)
    referral = refer(team, episode=episode)
    client.force_login(team.manager)

    response = client.post(end_url(episode), {"end-end_reason": "education"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Confirm the end of the episode" in page
    assert f"The episode ends on {TODAY:%-d.%-m.%Y}." in page
    assert "Maija Aaltomaa is no longer the client's case manager" in page
    assert "Kalle Aaltomaa – Työkykykoordinaattori (Työllisyysalue A)" in page
    assert reverse("pathways:referral", kwargs={"public_id": referral.public_id}) in page
    assert "To Kuntoutus B" in page
    assert "reopen it within 30 days" in page
    # The hidden values are the ones entered, signed.
    assert '<input type="hidden" name="end-end_reason" value="education">' in page
    episode.refresh_from_db()
    assert episode.is_active
    assert services.current_case_manager(episode) is not None
    assert events("episode_ended") == 0


def test_the_confirmed_end_ends_the_episode_and_logs_it(team, episode, client):
    client.force_login(team.manager)
    confirmation = client.post(end_url(episode), {"end-end_reason": "education"})

    response = client.post(end_url(episode), confirmed(confirmation))

    assert response.status_code == 302
    episode.refresh_from_db()
    assert (episode.ended_on, episode.end_reason, episode.ended_by) == (
        TODAY,
        "education",
        team.manager,
    )
    assert services.current_case_manager(episode) is None
    assert not episode.team.filter(ended_on__isnull=True).exists()
    row = AccessLogEntry.objects.get(event="episode_ended")
    assert (row.client_public_id, row.actor_id) == (team.client.public_id, str(team.manager.pk))


def test_going_back_from_the_confirmation_keeps_what_was_chosen(team, episode, client):
    client.force_login(team.manager)
    confirmation = client.post(end_url(episode), {"end-end_reason": "education"})
    values = confirmed(confirmation)
    del values["confirm"]

    response = client.post(end_url(episode), {**values, "edit": "1"})

    assert response.status_code == 200
    assert '<option value="education" selected>' in response.content.decode()
    episode.refresh_from_db()
    assert episode.is_active


@pytest.mark.parametrize(
    "tampered",
    [
        {"end-end_reason": "pension"},
        {"end-ended_on": (TODAY - timedelta(days=3)).isoformat()},
        {"confirmation": "forged"},
    ],
    ids=["another reason", "another date", "a forged signature"],
)
def test_changed_hidden_values_are_refused_and_change_nothing(team, episode, client, tampered):
    client.force_login(team.manager)
    confirmation = client.post(end_url(episode), {"end-end_reason": "education"})

    response = client.post(end_url(episode), confirmed(confirmation, **tampered))

    assert response.status_code == 400
    assert "Nothing was changed" in response.content.decode()
    episode.refresh_from_db()
    assert episode.is_active
    assert events("episode_ended") == 0


def test_a_confirmation_is_for_its_own_episode_and_user(team, episode, client):
    other = services.open_episode(
        actor=team.actor(), client=team.client, programme=team.programme, organisation=team.org_a
    )
    client.force_login(team.manager)
    confirmation = client.post(end_url(episode), {"end-end_reason": "education"})

    elsewhere = client.post(end_url(other), confirmed(confirmation))
    client.force_login(team.colleague)
    someone_else = client.post(end_url(episode), confirmed(confirmation))

    assert (elsewhere.status_code, someone_else.status_code) == (400, 400)
    assert Episode.objects.active().count() == 2


def test_a_confirmation_answered_after_the_episode_ended_changes_nothing_more(
    team, episode, client
):
    client.force_login(team.manager)
    confirmation = client.post(end_url(episode), {"end-end_reason": "education"})
    services.end_episode(actor=team.actor(team.colleague), episode=episode, end_reason="pension")

    response = client.post(end_url(episode), confirmed(confirmation))

    assert response.status_code == 409
    episode.refresh_from_db()
    assert (episode.end_reason, events("episode_ended")) == ("pension", 1)


def test_outsiders_and_readers_cannot_end_an_episode(team, episode, client):
    consent_to_b(team)
    for user, status in ((team.outsider, 404), (team.receiver, 403)):
        client.force_login(user)
        assert client.get(end_url(episode)).status_code == status
        assert client.post(end_url(episode), {"end-end_reason": "education"}).status_code == status

    episode.refresh_from_db()
    assert episode.is_active


# Reopening an episode ended by mistake ----------------------------------------------------


def test_an_episode_ended_by_mistake_is_reopened_with_its_history_kept(team, episode, client):
    services.end_episode(actor=team.actor(), episode=episode, end_reason="moved")
    client.force_login(team.manager)
    assert "Reopen: ended by mistake" in client.get(episode_url(episode)).content.decode()

    refused = client.post(reopen_url(episode), {"reason": " "})
    episode.refresh_from_db()
    assert refused.status_code == 400
    assert not episode.is_active

    response = client.post(reopen_url(episode), {"reason": "Päätetty väärältä asiakkaalta"})

    assert response.status_code == 302
    episode.refresh_from_db()
    assert (episode.ended_on, episode.end_reason, episode.end_recorded_at) == (None, "", None)
    reopening = EpisodeReopening.objects.get()
    assert (reopening.ended_on, reopening.end_reason, reopening.corrected_by) == (
        TODAY,
        "moved",
        team.manager,
    )
    assert reopening.reason == "Päätetty väärältä asiakkaalta"
    assert events("episode_reopened") == 1
    # The case manager and the team whom the end released are back.
    manager = services.current_case_manager(episode)
    assert manager is not None
    assert manager.user == team.manager
    assert [m.user for m in episode.team.filter(ended_on__isnull=True)] == [team.colleague]
    page = client.get(episode_url(episode)).content.decode()
    assert f"Ended on {TODAY:%-d.%-m.%Y}: Moved away" in page
    assert "as ended by mistake: Päätetty väärältä asiakkaalta" in page
    timeline = client.get(
        reverse("pathways:client_pathway", kwargs={"public_id": team.client.public_id})
    ).content.decode()
    assert "Episode ended: Moved away" in timeline
    assert "Episode reopened" in timeline


def test_a_released_member_who_no_longer_works_with_clients_there_does_not_return(team, episode):
    services.end_episode(actor=team.actor(), episode=episode, end_reason="moved")
    Membership.objects.filter(user=team.colleague).update(role=Role.PROJECT_MANAGER)

    services.reopen_episode(actor=team.actor(), episode=episode, reason="Väärä asiakas")

    assert not episode.team.filter(ended_on__isnull=True).exists()


def test_a_reopened_episodes_end_reason_no_longer_counts(team, episode):
    services.end_episode(actor=team.actor(), episode=episode, end_reason="open_labour_market")

    services.reopen_episode(actor=team.actor(), episode=episode, reason="Väärä jakso")

    # Where clients went after the service is read from ended episodes' end reasons.
    assert not Episode.objects.exclude(end_reason="").exists()
    assert not Episode.objects.filter(ended_on__isnull=False).exists()


def test_reopening_is_refused_after_the_correction_period(team, episode, client):
    services.end_episode(actor=team.actor(), episode=episode, end_reason="moved")
    Episode.objects.filter(pk=episode.pk).update(
        end_recorded_at=timezone.now() - timedelta(days=31)
    )
    client.force_login(team.manager)

    with pytest.raises(ValidationError, match="within 30 days"):
        services.reopen_episode(actor=team.actor(), episode=episode, reason="Virhe")
    assert client.get(reopen_url(episode)).status_code == 409
    assert client.post(reopen_url(episode), {"reason": "Virhe"}).status_code == 409
    assert "Reopen: ended by mistake" not in client.get(episode_url(episode)).content.decode()
    episode.refresh_from_db()
    assert not episode.is_active
    assert not EpisodeReopening.objects.exists()


def test_an_open_episode_is_not_reopened(team, episode, client):
    client.force_login(team.manager)

    assert client.post(reopen_url(episode), {"reason": "Virhe"}).status_code == 409
    assert not EpisodeReopening.objects.exists()


def test_outsiders_get_404_on_reopening_and_nothing_changes(team, episode, client):
    services.end_episode(actor=team.actor(), episode=episode, end_reason="moved")
    client.force_login(team.outsider)
    rows = AccessLogEntry.objects.count()

    assert client.get(reopen_url(episode)).status_code == 404
    assert client.post(reopen_url(episode), {"reason": "Virhe"}).status_code == 404

    episode.refresh_from_db()
    assert not episode.is_active
    assert AccessLogEntry.objects.count() == rows


# The phase selector -----------------------------------------------------------------------


def selected_phase(client, episode: Episode) -> str:
    page = client.get(episode_url(episode)).content.decode()
    select = page[page.index('name="phase-phase"') :]
    return select[: select.index("</select>")].split(" selected>")[0].rsplit('value="', 1)[1]


def test_the_phase_selector_offers_the_next_phase(team, episode, client):
    client.force_login(team.manager)
    assert selected_phase(client, episode) == 'rehabilitation"'

    services.change_phase(actor=team.actor(), episode=episode, phase="rehabilitation")

    assert selected_phase(client, episode) == 'education"'


def test_the_phase_after_the_last_is_the_last(team):
    phases = team.programme.phases

    assert team.programme.phase_after(None) == phases[0]
    assert team.programme.phase_after(phases[-1]) == phases[-1]
    assert team.programme.phase_after("not a phase") is None


# Declining a referral -----------------------------------------------------------------------


def decline_url(referral: Referral) -> str:
    return reverse("pathways:referral_decline", kwargs={"public_id": referral.public_id})


@pytest.fixture
def referral(team):
    consent_to_b(team)
    return refer(team)


def test_declining_without_a_ground_is_refused_and_changes_nothing(team, referral, client):
    client.force_login(team.receiver)
    page = client.get(reverse("pathways:referral", kwargs={"public_id": referral.public_id}))
    assert '<option value="" selected>– choose –</option>' in page.content.decode()

    response = client.post(
        decline_url(referral),
        {"decline-decline_ground": "", "decline-decline_reason": "Ei resursseja"},
    )

    assert response.status_code == 400
    assert "Choose why the referral is declined." in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "sent"
    assert events("referral_declined") == 0


def test_the_decline_confirmation_says_what_will_follow(team, referral, client):
    client.force_login(team.receiver)

    response = client.post(
        decline_url(referral),
        {"decline-decline_ground": "no_capacity", "decline-decline_reason": "Jono on täynnä"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Työllisyysalue A sees that the referral was declined" in page
    assert "The referral's ground ends now" in page
    assert "Plan and pathway" in page
    assert "We cannot take new clients now" in page
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_the_confirmed_decline_answers_the_sender_and_ends_the_ground(team, referral, client):
    client.force_login(team.receiver)
    confirmation = client.post(
        decline_url(referral),
        {"decline-decline_ground": "no_capacity", "decline-decline_reason": "Jono on täynnä"},
    )

    tampered = client.post(
        decline_url(referral),
        confirmed(confirmation, **{"decline-decline_reason": "Jotain muuta"}),
    )
    assert tampered.status_code == 400
    referral.refresh_from_db()
    assert referral.status == "sent"

    response = client.post(decline_url(referral), confirmed(confirmation))

    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.decline_ground, referral.decline_reason) == (
        "declined",
        "no_capacity",
        "Jono on täynnä",
    )
    assert ReferralGrant.objects.get(public_id=referral.public_id).ended_at is not None
    assert events("referral_declined") == 1
    client.force_login(team.manager)
    sender_page = client.get(reverse("pathways:referral", kwargs={"public_id": referral.public_id}))
    assert "We cannot take new clients now: Jono on täynnä" in sender_page.content.decode()


def test_only_the_receiver_declines(team, referral, client):
    for user, status in ((team.outsider, 404), (team.manager, 403)):
        client.force_login(user)
        response = client.post(
            decline_url(referral),
            {"decline-decline_ground": "other", "decline-decline_reason": "Ei"},
        )
        assert response.status_code == status

    referral.refresh_from_db()
    assert referral.status == "sent"
