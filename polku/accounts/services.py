"""Writes for accounts: second-factor enrolment and verification, own contact details."""

from __future__ import annotations

import base64
import enum
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.http import HttpRequest
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from polku.accounts.models import User

DEVICE_NAME = "Polku"


@transaction.atomic
def update_contact_details(*, user: User, title: str, phone: str) -> User:
    """The professional's own job title and work phone, shown to colleagues on teams."""
    changed = {"title": title.strip(), "phone": phone.strip()}
    for name, value in changed.items():
        setattr(user, name, value)
    user.clean_fields(exclude=[f.name for f in User._meta.fields if f.name not in changed])
    user.save(update_fields=list(changed))
    return user


def pending_totp_device(*, user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator being enrolled (created on first call)."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": DEVICE_NAME}
    )
    return device


def totp_qr_data_uri(device: TOTPDevice) -> str:
    """The device's provisioning URI as an SVG QR code in a data: URI."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def totp_secret_base32(device: TOTPDevice) -> str:
    """The shared secret in the base32 form authenticator apps accept for manual entry."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


@transaction.atomic
def confirm_totp_device(*, request: HttpRequest, user: User, token: str) -> bool:
    """Confirm the pending authenticator if the code matches; replaces older devices."""
    device = pending_totp_device(user=user)
    if not device.verify_token(token):
        return False
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    return True


class Verification(enum.Enum):
    VERIFIED = "verified"
    WRONG_CODE = "wrong_code"
    THROTTLED = "throttled"


def verify_second_factor(*, request: HttpRequest, user: User, token: str) -> Verification:
    """Check a code against the user's confirmed devices and mark the session verified.

    After each wrong code the device refuses further tries for a doubling delay; a code
    entered during that delay is not checked at all, and the caller is told so.
    """
    throttled = False
    for device in devices_for_user(user, confirmed=True):
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            throttled = True
            continue
        if device.verify_token(token):
            otp_login(request, device)
            return Verification.VERIFIED
    return Verification.THROTTLED if throttled else Verification.WRONG_CODE
