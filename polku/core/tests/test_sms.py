"""Text messages go through the configured backend, as e-mail does; numbers are checked."""

from __future__ import annotations

import io

import pytest

from polku.core import sms


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("040 123 4567", "+358401234567"),
        ("050-123 45 67", "+358501234567"),
        ("+358 40 123 4567", "+358401234567"),
        ("+358 (0)44 9876543", "+358449876543"),
        ("00358451234567", "+358451234567"),
        ("+46 70 123 45 67", "+46701234567"),
    ],
)
def test_mobile_numbers_take_the_international_form(text, number):
    assert sms.mobile_number(text) == number


@pytest.mark.parametrize(
    "text",
    ["", "09 310 1234", "+358 9 310 1234", "03 565 6000", "040", "puhelin", "+12", "401234567"],
)
def test_landlines_and_other_text_are_not_mobile_numbers(text):
    assert sms.mobile_number(text) is None


def test_the_locmem_backend_keeps_the_message(smsoutbox, settings):
    settings.POLKU_SMS_SENDER = "Polku"

    sms.send_text("+358401234567", "Hei")

    assert smsoutbox == [sms.TextMessage(to="+358401234567", body="Hei", sender="Polku")]


def test_the_console_backend_writes_to_a_stream_or_appends_to_the_file(settings, tmp_path):
    stream = io.StringIO()
    message = sms.TextMessage(to="+358401234567", body="Linkki: https://x.invalid/q/a", sender="P")

    assert sms.ConsoleBackend(stream).send_messages([message]) == 1
    assert "To: +358401234567" in stream.getvalue()
    assert "Linkki: https://x.invalid/q/a" in stream.getvalue()

    settings.POLKU_SMS_BACKEND = "polku.core.sms.ConsoleBackend"
    settings.POLKU_SMS_FILE = str(tmp_path / "sms.txt")
    sms.send_text("+358401234567", "Ensimmäinen")
    sms.send_text("+358501234567", "Toinen")
    written = (tmp_path / "sms.txt").read_text(encoding="utf-8")
    assert written.index("Ensimmäinen") < written.index("Toinen")
    assert "To: +358501234567" in written


def test_without_a_backend_or_gateway_nothing_is_sent(settings, smsoutbox):
    settings.POLKU_SMS_BACKEND = ""
    assert not sms.enabled()
    with pytest.raises(sms.SmsError):
        sms.send_text("+358401234567", "Hei")

    settings.POLKU_SMS_BACKEND = "polku.core.sms.GatewayBackend"
    with pytest.raises(sms.SmsError):
        sms.send_text("+358401234567", "Hei")
    assert smsoutbox == []
