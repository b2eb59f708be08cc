"""Answer links delivered: by e-mail or text message to the contact on file, copied, or
shown as a QR code; the message tells who asks and nothing of the client's situation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from polku.audit.enums import AuditEvent
from polku.audit.models import AccessLogEntry
from polku.core import sms
from polku.measures import services
from polku.measures.models import AnswerLink, LinkDelivery

pytestmark = pytest.mark.django_db


def draft(setting, code="work-ability-score"):
    return services.start_administration(
        actor=setting.actor(),
        client=setting.client,
        organisation=setting.org_a,
        instrument=services.latest_version(code),
        channel="link",
    )


def contact(setting, *, phone="", email=""):
    setting.client.phone = phone
    setting.client.email = email
    setting.client.save()


def signed_in(client, user):
    client.force_login(user)
    return client


def events(setting):
    return list(
        AccessLogEntry.objects.filter(client_public_id=setting.client.public_id)
        .exclude(event="")
        .order_by("pk")
        .values_list("event", flat=True)
    )


def sent_texts_only_ask(text):
    """A message names who asks and gives the link; never the client or the instrument."""
    assert "Työllisyysalue A" in text
    assert "/q/" in text
    for secret in ("Mira", "Mittari", "Work Ability", "WAS", "Työkyky"):
        assert secret not in text


def test_the_link_goes_as_a_text_message_to_the_mobile_number_on_file(setting, client, smsoutbox):
    # given a draft questionnaire and a client with a mobile number on file
    contact(setting, phone="040 123 4567")
    administration = draft(setting)
    page = reverse("measures:link", kwargs={"public_id": administration.public_id})

    # when the worker sends the link as a text message
    response = signed_in(client, setting.worker).post(page, {"send": "sms"})

    # then one message went to the number, saying who asks and giving a working link
    assert response.status_code == 200
    assert [message.to for message in smsoutbox] == ["+358401234567"]
    sent_texts_only_ask(smsoutbox[0].body)
    token = smsoutbox[0].body.rsplit("/q/", 1)[1].rstrip("/")
    link = services.link_for_token(token)
    assert link is not None
    assert link.administration == administration
    # the page says so, and shows the same link to copy or scan
    content = response.content.decode()
    assert "The link has been sent as a text message to +358401234567." in content
    assert f"/q/{token}/" in content
    assert 'class="qr" role="img"' in content
    assert "<svg" in content
    assert 'data-copy="answer-link"' in content
    # and the creation and the sending are in the access log
    assert events(setting)[-2:] == [
        AuditEvent.ANSWER_LINK_SENT,
        AuditEvent.ANSWER_LINK_DELIVERED,
    ]
    assert LinkDelivery.objects.get().channel == "sms"


def test_the_link_goes_by_e_mail_in_the_clients_language(setting, mailoutbox):
    contact(setting, email="mira@example.invalid")
    setting.client.preferred_language = "sv"
    setting.client.save()
    administration = draft(setting)

    sent = services.send_answer_link(
        actor=setting.actor(), administration=administration, delivery="email"
    )

    assert sent.to == "mira@example.invalid"
    (message,) = mailoutbox
    assert message.to == ["mira@example.invalid"]
    assert message.subject == "Työllisyysalue A: en enkät till dig"
    sent_texts_only_ask(message.body)
    assert f"/q/{sent.token}/" in message.body
    assert "ber dig svara på en kort enkät" in message.body


def test_without_a_contact_the_page_says_so_and_links_to_the_contact_details(
    setting, client, smsoutbox, mailoutbox
):
    contact(setting, phone="09 310 1234")  # a landline
    administration = draft(setting)
    page = reverse("measures:link", kwargs={"public_id": administration.public_id})
    signed_in(client, setting.worker)
    before = events(setting)

    shown = client.get(page).content.decode()
    refused = client.post(page, {"send": "sms"})
    refused_email = client.post(page, {"send": "email"})

    edit = reverse("clients:edit", kwargs={"public_id": setting.client.public_id})
    assert "The phone number on file, 09 310 1234, is not a mobile number." in shown
    assert "contact details have no e-mail address." in shown
    assert f'href="{edit}"' in shown
    assert refused.status_code == refused_email.status_code == 400
    assert "no mobile number" in refused.content.decode()
    assert "no e-mail address" in refused_email.content.decode()
    # nothing was sent, made or logged as sent
    assert smsoutbox == []
    assert mailoutbox == []
    assert not AnswerLink.objects.exists()
    assert not LinkDelivery.objects.exists()
    assert events(setting) == before


def test_an_outsider_gets_404_and_nothing_is_sent(setting, client, smsoutbox):
    contact(setting, phone="040 123 4567")
    administration = draft(setting)
    page = reverse("measures:link", kwargs={"public_id": administration.public_id})
    signed_in(client, setting.outsider)

    assert client.get(page).status_code == 404
    assert client.post(page, {"send": "sms"}).status_code == 404
    assert smsoutbox == []
    assert not AnswerLink.objects.exists()


def test_a_link_can_be_sent_again_until_it_is_used_or_expires(setting, client, smsoutbox):
    contact(setting, phone="040 123 4567", email="mira@example.invalid")
    administration = draft(setting)
    page = reverse("measures:link", kwargs={"public_id": administration.public_id})
    signed_in(client, setting.worker)
    made = client.post(page)  # the link made to be shown
    token = made.context["token"]

    again = client.post(page, {"send": "sms", "token": token})
    assert again.status_code == 200
    assert token in smsoutbox[-1].body
    assert AnswerLink.objects.count() == 1

    services.answer_through_link(token=token, answers={"was": 6}, submit=True)
    used = client.post(page, {"send": "sms", "token": token})
    assert used.status_code == 409  # the questionnaire is complete: no link is needed

    other = draft(setting)
    other_token = services.create_answer_link(actor=setting.actor(), administration=other)
    other.links.update(expires_at=timezone.now() - timedelta(minutes=1))
    expired = client.post(
        reverse("measures:link", kwargs={"public_id": other.public_id}),
        {"send": "email", "token": other_token},
    )
    assert expired.status_code == 409
    assert "has expired or has already been used" in expired.content.decode()
    assert len(smsoutbox) == 1


def test_sending_is_limited_per_questionnaire(setting, smsoutbox):
    contact(setting, phone="040 123 4567")
    administration = draft(setting)
    for _ in range(services.MESSAGES_PER_MEASUREMENT_PER_DAY):
        services.send_answer_link(
            actor=setting.actor(), administration=administration, delivery="sms"
        )

    with pytest.raises(ValidationError, match="most allowed") as refused:
        services.send_answer_link(
            actor=setting.actor(), administration=administration, delivery="sms"
        )

    assert refused.value.code == "limit"
    assert len(smsoutbox) == services.MESSAGES_PER_MEASUREMENT_PER_DAY
    assert LinkDelivery.objects.count() == services.MESSAGES_PER_MEASUREMENT_PER_DAY


def test_a_clients_phone_gets_only_so_many_links_a_day_whoever_sends_them(setting, smsoutbox):
    contact(setting, phone="040 123 4567")
    for _ in range(services.MESSAGES_PER_CLIENT_PER_DAY):
        services.send_answer_link(
            actor=setting.actor(), administration=draft(setting), delivery="sms"
        )

    with pytest.raises(ValidationError, match="most allowed") as refused:
        services.send_answer_link(
            actor=setting.actor(), administration=draft(setting), delivery="sms"
        )

    assert refused.value.code == "limit"
    assert len(smsoutbox) == services.MESSAGES_PER_CLIENT_PER_DAY


def test_a_sender_sends_only_so_many_links_an_hour(setting, smsoutbox, monkeypatch):
    monkeypatch.setattr(services, "MESSAGES_PER_SENDER_PER_HOUR", 2)
    monkeypatch.setattr(services, "MESSAGES_PER_CLIENT_PER_DAY", 10)
    contact(setting, phone="040 123 4567")
    for _ in range(2):
        services.send_answer_link(
            actor=setting.actor(), administration=draft(setting), delivery="sms"
        )

    with pytest.raises(ValidationError, match="within the last hour"):
        services.send_answer_link(
            actor=setting.actor(), administration=draft(setting), delivery="sms"
        )
    assert len(smsoutbox) == 2


def test_an_instrument_a_professional_answers_is_not_sent_to_the_client(setting, smsoutbox):
    contact(setting, phone="040 123 4567")
    administration = services.start_administration(
        actor=setting.actor(),
        client=setting.client,
        organisation=setting.org_a,
        instrument=services.latest_version("icf-rating"),
        channel="observer",
    )

    with pytest.raises(ValidationError, match="not answered by the client"):
        services.send_answer_link(
            actor=setting.actor(), administration=administration, delivery="sms"
        )
    assert smsoutbox == []
    assert LinkDelivery.objects.count() == 0


def test_a_message_the_backend_refuses_leaves_nothing_behind(setting, settings, smsoutbox):
    contact(setting, phone="040 123 4567")
    administration = draft(setting)
    settings.POLKU_SMS_BACKEND = "polku.core.sms.GatewayBackend"  # ships without a gateway
    before = events(setting)

    with pytest.raises(ValidationError) as refused:
        services.send_answer_link(
            actor=setting.actor(), administration=administration, delivery="sms"
        )

    assert refused.value.code == "not_sent"
    assert not AnswerLink.objects.exists()
    assert not LinkDelivery.objects.exists()
    assert events(setting) == before


def test_the_console_backend_writes_the_message_to_the_file(setting, settings, tmp_path):
    contact(setting, phone="+358 50 765 4321")
    settings.POLKU_SMS_BACKEND = "polku.core.sms.ConsoleBackend"
    settings.POLKU_SMS_FILE = str(tmp_path / "sms.txt")

    sent = services.send_answer_link(
        actor=setting.actor(), administration=draft(setting), delivery="sms"
    )

    written = (tmp_path / "sms.txt").read_text(encoding="utf-8")
    assert "To: +358507654321" in written
    assert services.answer_url(sent.token) in written
    assert sms.outbox == []


def test_the_answer_page_says_who_asks_why_and_who_will_see_the_answers(
    setting, client, make_organisation
):
    # given a measurement in a programme, and the client's consent that lets Kela read
    # the employment area's measurements (and one that covers only the plan)
    from polku.clients.services import record_consent
    from polku.pathways.models import Programme
    from polku.pathways.services import open_episode
    from polku.policy.enums import ConsentMethod, DataCategory, Purpose

    kela = make_organisation("Kela, Pirkanmaa", "kela")
    ngo = make_organisation("Järjestö D", "ngo")
    open_episode(
        actor=setting.actor(),
        client=setting.client,
        programme=Programme.objects.get(code="job-coaching"),
        organisation=setting.org_a,
    )
    for recipient, categories in ((kela, [DataCategory.MEASUREMENTS]), (ngo, [DataCategory.PLAN])):
        record_consent(
            actor=setting.actor(),
            client=setting.client,
            recipient=recipient,
            discloser=setting.org_a,
            purpose=Purpose.SERVICE_COORDINATION,
            categories=categories,
            method=ConsentMethod.IN_PERSON,
        )
    token = services.create_answer_link(actor=setting.actor(), administration=draft(setting))
    before = AccessLogEntry.objects.count()

    # when the client opens the link
    page = client.get(reverse("measures:public_answer", kwargs={"token": token}) + "?lang=en")

    # then the page names who asks (the worker and the organisation), why (the
    # programme), and who will see the answers: the organisation, and Kela by consent
    text = page.content.decode()
    assert "Jussi Aaltomaa, Työllisyysalue A" in text
    assert "Your answers help to follow how the service “Job Coaching (IPS)”" in text
    assert "The professionals of Työllisyysalue A who work with you." in text
    assert "with your consent or through a referral: Kela, Pirkanmaa." in text
    assert "Järjestö D" not in text
    assert "Mira" not in text
    # and the look is logged on the link's own ground
    row = AccessLogEntry.objects.order_by("pk").last()
    assert row is not None
    assert AccessLogEntry.objects.count() == before + 1
    assert (row.actor_kind, row.basis, row.action) == ("link_holder", "link", "view")


def test_without_consents_the_answer_page_says_nobody_else_sees_the_answers(setting, client):
    token = services.create_answer_link(actor=setting.actor(), administration=draft(setting))

    url = reverse("measures:public_answer", kwargs={"token": token})
    text = client.get(f"{url}?lang=en").content.decode()

    assert "Your answers help to plan and follow the services that support you." in text
    assert "Nobody else sees them without your consent." in text


def test_answers_through_a_link_are_logged_as_the_link_holders_on_the_links_ground(setting, client):
    administration = draft(setting)
    token = services.create_answer_link(actor=setting.actor(), administration=administration)

    response = client.post(
        reverse("measures:public_answer", kwargs={"token": token}),
        {"was": "6", "submit": "1"},
        REMOTE_ADDR="192.0.2.7",
    )

    assert response.status_code == 200
    row = AccessLogEntry.objects.get(event=AuditEvent.MEASUREMENT_ANSWERED)
    assert (row.actor_kind, row.basis, row.action, row.categories) == (
        "link_holder",
        "link",
        "change",
        "measurements",
    )
    assert row.client_public_id == setting.client.public_id
    assert row.ip_address == "192.0.2.7"
