"""Validators for organisation identifiers and professionals' contact details."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

BUSINESS_ID_PATTERN = re.compile(r"^(\d{7})-(\d)$")
BUSINESS_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def business_id_check_digit(digits: str) -> int | None:
    """The check digit of a Finnish business ID (Y-tunnus) body; None if none is valid."""
    remainder = sum(int(d) * w for d, w in zip(digits, BUSINESS_ID_WEIGHTS, strict=True)) % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        return None
    return 11 - remainder


def validate_business_id(value: str) -> None:
    """Check a Finnish business ID such as 0245437-2 (format and check digit)."""
    match = BUSINESS_ID_PATTERN.match(value)
    if not match:
        raise ValidationError(
            _("A business ID has seven digits, a hyphen and a check digit, e.g. 1234567-1."),
            code="business_id_format",
        )
    if business_id_check_digit(match.group(1)) != int(match.group(2)):
        raise ValidationError(
            _("The check digit of the business ID does not match."), code="business_id_check"
        )


PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 ()-]{4,38}$")


def validate_phone(value: str) -> None:
    """A phone number as people write it: digits with spaces, hyphens or brackets, and an
    optional leading +, e.g. 040 123 4567 or +358 40 123 4567."""
    if not PHONE_PATTERN.match(value) or sum(char.isdigit() for char in value) < 5:
        raise ValidationError(
            _("Write the phone number with digits, e.g. 040 123 4567 or +358 40 123 4567."),
            code="phone_format",
        )
