"""The Finnish personal identity code (henkilötunnus): parsing, validation and masking.

An identity code has the form DDMMYYCZZZQ: the birth date (DDMMYY), a century sign (C),
an individual number (ZZZ) and a check character (Q), e.g. 131052-308T. The check
character is the nine digits DDMMYYZZZ read as one number, modulo 31, used as an index
into ``CHECK_CHARACTERS``.

Pure functions with no database access. Gender is deliberately never derived: nothing in
Polku needs it, and deriving it from the identity code would process personal data
without a purpose.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"

# The first year of the century each sign stands for. The letters other than A and "-"
# were added in 2023 so that more codes can be issued per birth date; they mean exactly
# the same century as the older sign.
CENTURY_BY_SIGN: dict[str, int] = {
    "+": 1800,
    "-": 1900,
    "Y": 1900,
    "X": 1900,
    "W": 1900,
    "V": 1900,
    "U": 1900,
    "A": 2000,
    "B": 2000,
    "C": 2000,
    "D": 2000,
    "E": 2000,
    "F": 2000,
}

# The sign synthetic_identity_code writes for each century: the traditional one, which
# every system that reads identity codes understands.
SIGN_BY_CENTURY: dict[int, str] = {1800: "+", 1900: "-", 2000: "A"}

# 000 and 001 are never issued; 002-899 belong to real people; 900-999 are reserved for
# test use and never identify a real person.
FIRST_ISSUED_INDIVIDUAL_NUMBER = 2
FIRST_SYNTHETIC_INDIVIDUAL_NUMBER = 900
LAST_INDIVIDUAL_NUMBER = 999

# The century sign position accepts any letter so that an unknown sign (e.g. "Z") is
# reported as such rather than as a malformed code. The check character position accepts
# only characters of CHECK_CHARACTERS (G, I, O, Q and Z are never used). [0-9] rather than
# \d, which would also match non-ASCII digits.
IDENTITY_CODE_PATTERN = re.compile(
    r"(?P<day>[0-9]{2})(?P<month>[0-9]{2})(?P<year>[0-9]{2})"
    r"(?P<sign>[A-Z+\-])"
    r"(?P<individual_number>[0-9]{3})"
    r"(?P<check>[0-9A-FHJ-NPR-Y])"
)

MASK = "****"
# What mask_identity_code returns for a value that is not a valid identity code.
UNRECOGNISED_MASK = "*" * 11


@dataclass(frozen=True, repr=False)
class IdentityCode:
    """A valid identity code and what it says. Build it with ``parse_identity_code``.

    ``value`` is the normalised code (upper case, no surrounding whitespace).
    ``is_synthetic`` is true for individual numbers 900-999, which are reserved for test
    use and never belong to a real person. The repr shows only the masked form so that
    a full code does not end up in logs or tracebacks by accident.
    """

    value: str
    birth_date: datetime.date
    individual_number: int
    is_synthetic: bool

    @property
    def masked(self) -> str:
        """The code with everything after the birth date and century sign hidden.

        E.g. ``131052-****``.
        """
        return self.value[:7] + MASK

    def __repr__(self) -> str:
        return f"IdentityCode(masked={self.masked!r})"


def normalise_identity_code(value: str) -> str:
    """Strip surrounding whitespace and upper-case; does not validate."""
    return value.strip().upper()


def check_character(digits9: str) -> str:
    """The check character for the nine digits DDMMYYZZZ (birth date and individual number).

    Raises ValueError unless ``digits9`` is exactly nine ASCII digits.
    """
    if len(digits9) != 9 or not digits9.isascii() or not digits9.isdigit():
        raise ValueError("check_character needs exactly nine ASCII digits")
    return CHECK_CHARACTERS[int(digits9) % 31]


def parse_identity_code(value: str) -> IdentityCode:
    """Normalise and validate an identity code, returning what it says.

    Raises ``ValidationError`` for the first problem found, checked in this order, with
    one of these codes:

    - ``format``: not six digits, a sign, three digits and a check character (which is
      never G, I, O, Q or Z);
    - ``century_sign``: the seventh character is not one of + - Y X W V U A B C D E F;
    - ``date``: the first six digits are not a real calendar date;
    - ``individual_number``: the individual number is 000 or 001, which are never issued;
    - ``check_character``: the check character does not match the rest of the code;
    - ``future``: the birth date is after today (e.g. 010199A… read as 1 January 2099).
    """
    normalised = normalise_identity_code(value)
    match = IDENTITY_CODE_PATTERN.fullmatch(normalised)
    if match is None:
        raise ValidationError(
            _("An identity code has the form DDMMYYCZZZQ, e.g. 131052-308T."), code="format"
        )

    sign = match["sign"]
    century = CENTURY_BY_SIGN.get(sign)
    if century is None:
        raise ValidationError(
            _(
                "The century sign %(sign)s is not valid: use + (1800s), - or U, V, W, X, Y "
                "(1900s), or A, B, C, D, E, F (2000s)."
            ),
            code="century_sign",
            params={"sign": sign},
        )

    try:
        birth_date = datetime.date(
            century + int(match["year"]), int(match["month"]), int(match["day"])
        )
    except ValueError:
        raise ValidationError(
            _("The first six digits of an identity code must be a real birth date (DDMMYY)."),
            code="date",
        ) from None

    individual_number = int(match["individual_number"])
    if individual_number < FIRST_ISSUED_INDIVIDUAL_NUMBER:
        raise ValidationError(
            _("The individual number %(number)s is never issued; it must be between 002 and 999."),
            code="individual_number",
            params={"number": match["individual_number"]},
        )

    digits9 = match["day"] + match["month"] + match["year"] + match["individual_number"]
    if check_character(digits9) != match["check"]:
        raise ValidationError(
            _(
                "The check character does not match the rest of the identity code; "
                "check for a typing error."
            ),
            code="check_character",
        )

    if birth_date > timezone.localdate():
        raise ValidationError(
            _(
                "The birth date in this identity code (%(date)s) is in the future; check the "
                "year and the century sign."
            ),
            code="future",
            params={"date": formats.date_format(birth_date, "SHORT_DATE_FORMAT")},
        )

    return IdentityCode(
        value=normalised,
        birth_date=birth_date,
        individual_number=individual_number,
        is_synthetic=individual_number >= FIRST_SYNTHETIC_INDIVIDUAL_NUMBER,
    )


def validate_identity_code(value: str) -> None:
    """Django field validator: raise ``ValidationError`` as ``parse_identity_code`` does.

    It does not normalise the stored value; a form or service that saves the code should
    save ``parse_identity_code(value).value``.
    """
    parse_identity_code(value)


def synthetic_identity_code(birth_date: datetime.date, individual_number: int) -> str:
    """A valid identity code reserved for test use, for demo data and tests.

    Raises ValueError unless 900 <= ``individual_number`` <= 999 (so it can never produce
    a real person's code) and the birth year is 1800-2099. Writes the traditional century
    sign: + for the 1800s, - for the 1900s and A for the 2000s.
    """
    if not FIRST_SYNTHETIC_INDIVIDUAL_NUMBER <= individual_number <= LAST_INDIVIDUAL_NUMBER:
        raise ValueError(f"synthetic individual numbers are 900-999, got {individual_number}")
    century = birth_date.year - birth_date.year % 100
    sign = SIGN_BY_CENTURY.get(century)
    if sign is None:
        raise ValueError(f"identity codes cover the years 1800-2099, got {birth_date.year}")
    digits9 = (
        f"{birth_date.day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}"
        f"{individual_number:03d}"
    )
    return f"{digits9[:6]}{sign}{digits9[6:]}{check_character(digits9)}"


def mask_identity_code(value: str) -> str:
    """The code with only the birth date and century sign shown, e.g. ``131052-****``.

    Never raises, because it is meant for display and logs: a value that is not a valid
    identity code is masked completely (``***********``), as it may be a mistyped code.
    """
    try:
        return parse_identity_code(value).masked
    except ValidationError:
        return UNRECOGNISED_MASK
