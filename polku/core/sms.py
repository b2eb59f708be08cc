"""Text messages (SMS), sent through a configurable backend as Django sends e-mail.

``POLKU_SMS_BACKEND`` names the backend class by its dotted path:

* ``polku.core.sms.ConsoleBackend`` — the development and demo default: each message is
  written to standard output, or appended to the file ``POLKU_SMS_FILE`` when it is set
  (so that a test, or a person trying the demo, can read what would have been sent).
* ``polku.core.sms.LocmemBackend`` — for tests: messages collect in ``outbox`` of this
  module, in the one process that sent them.
* ``polku.core.sms.GatewayBackend`` — the place for a real operator's gateway. Polku
  ships none (operators' APIs differ, and each needs a contract): subclass it, implement
  ``send_messages`` with the operator's HTTP API, and name the subclass in
  ``POLKU_SMS_BACKEND``. As shipped it sends nothing and says so.

An empty ``POLKU_SMS_BACKEND`` (the production default) turns text messages off: pages do
not offer them, and ``send_text`` refuses. A backend that cannot deliver raises
``SmsError``; callers send last in their transaction, so that a message that could not be
sent leaves no trace of having been sent.
"""

from __future__ import annotations

import re
import sys
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _


class SmsError(Exception):
    """The message could not be handed over for delivery."""


@dataclass(frozen=True)
class TextMessage:
    to: str  # an international number, +358401234567
    body: str
    sender: str


class BaseBackend(ABC):
    """Hands text messages over for delivery; returns how many were accepted."""

    @abstractmethod
    def send_messages(self, messages: Sequence[TextMessage]) -> int: ...


class ConsoleBackend(BaseBackend):
    """Writes each message to a stream (standard output unless given), or appends it to
    the file ``POLKU_SMS_FILE`` when that is set."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    def send_messages(self, messages: Sequence[TextMessage]) -> int:
        text = "".join(
            f"To: {message.to}\nFrom: {message.sender}\n\n{message.body}\n{'-' * 40}\n"
            for message in messages
        )
        path = getattr(settings, "POLKU_SMS_FILE", "")
        if self.stream is None and path:
            with open(path, "a", encoding="utf-8") as file:
                file.write(text)
        else:
            stream = self.stream or sys.stdout
            stream.write(text)
            stream.flush()
        return len(messages)


# Messages sent through the LocmemBackend, oldest first (tests empty it between tests).
outbox: list[TextMessage] = []


class LocmemBackend(BaseBackend):
    """Keeps messages in ``outbox``, for tests."""

    def send_messages(self, messages: Sequence[TextMessage]) -> int:
        outbox.extend(messages)
        return len(messages)


class GatewayBackend(BaseBackend):
    """Where an operator's SMS gateway goes: subclass and implement ``send_messages``
    (one HTTPS request per message or batch, with a timeout, raising ``SmsError`` when the
    operator does not accept a message). This class itself sends nothing."""

    def send_messages(self, messages: Sequence[TextMessage]) -> int:
        raise SmsError(_("No text message gateway has been set up for this Polku."))


def enabled() -> bool:
    """Whether this Polku sends text messages at all."""
    return bool(getattr(settings, "POLKU_SMS_BACKEND", ""))


def get_backend() -> BaseBackend:
    path = getattr(settings, "POLKU_SMS_BACKEND", "")
    if not path:
        raise SmsError(_("Text messages are not in use in this Polku."))
    backend: BaseBackend = import_string(path)()
    return backend


def send_text(to: str, body: str) -> None:
    """Send one text message to the international number ``to``; ``SmsError`` if the
    backend does not accept it."""
    message = TextMessage(to=to, body=body, sender=settings.POLKU_SMS_SENDER)
    if get_backend().send_messages([message]) != 1:
        raise SmsError(_("The text message was not accepted for delivery."))


_SEPARATORS = re.compile(r"[\s\-().]")
# Finnish mobile numbers: 04x and 050 (national significant number 4x… or 50…).
_FINNISH_MOBILE = re.compile(r"^(4\d|50)\d{5,8}$")
_INTERNATIONAL = re.compile(r"^[1-9]\d{7,14}$")


def mobile_number(text: str) -> str | None:
    """The number in international form (+358401234567) if ``text`` is a mobile number a
    text message can go to: a Finnish mobile number (040 123 4567, +358 40 123 4567) or a
    foreign number in international form. None otherwise (a landline, or not a number)."""
    number = _SEPARATORS.sub("", text or "")
    if number.startswith("00"):
        number = "+" + number[2:]
    if number.startswith("+358"):
        national = number[4:].removeprefix("0")
    elif number.startswith("+"):
        return number if _INTERNATIONAL.match(number[1:]) else None
    elif number.startswith("0"):
        national = number[1:]
    else:
        return None
    return f"+358{national}" if _FINNISH_MOBILE.match(national) else None
