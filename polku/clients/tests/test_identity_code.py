"""The Finnish personal identity code: what is valid, what each fault is called, masking.

Apart from the published example 131052-308T, every code here uses an individual number
of 900-999, reserved for test use, so no test names a real person.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from polku.clients.identity_code import (
    IdentityCode,
    check_character,
    mask_identity_code,
    parse_identity_code,
    synthetic_identity_code,
    validate_identity_code,
)


def validation_error_code(value: str) -> str | None:
    with pytest.raises(ValidationError) as raised:
        parse_identity_code(value)
    return raised.value.code


def test_the_published_example_is_valid():
    # given the example the Digital and Population Data Services Agency (DVV) publishes
    value = "131052-308T"

    # when
    code = parse_identity_code(value)

    # then
    assert code == IdentityCode(
        value="131052-308T",
        birth_date=datetime.date(1952, 10, 13),
        individual_number=308,
        is_synthetic=False,
    )
    assert code.masked == "131052-****"


@pytest.mark.parametrize(
    ("value", "birth_date", "individual_number"),
    [
        ("170899+9011", datetime.date(1899, 8, 17), 901),
        ("010170-902L", datetime.date(1970, 1, 1), 902),
        ("150375Y903K", datetime.date(1975, 3, 15), 903),
        ("300680X9040", datetime.date(1980, 6, 30), 904),
        ("281290W9055", datetime.date(1990, 12, 28), 905),
        ("050599V9061", datetime.date(1999, 5, 5), 906),
        ("311266U907Y", datetime.date(1966, 12, 31), 907),
        ("010100A908R", datetime.date(2000, 1, 1), 908),
        ("290204B909N", datetime.date(2004, 2, 29), 909),
        ("150710C9108", datetime.date(2010, 7, 15), 910),
        ("311215D911X", datetime.date(2015, 12, 31), 911),
        ("010720E912V", datetime.date(2020, 7, 1), 912),
        ("010121F913A", datetime.date(2021, 1, 1), 913),
    ],
)
def test_every_century_sign_gives_its_century(value, birth_date, individual_number):
    # given a valid code with one of the thirteen century signs

    # when
    code = parse_identity_code(value)

    # then
    assert code.value == value
    assert code.birth_date == birth_date
    assert code.individual_number == individual_number
    assert code.is_synthetic is True


@pytest.mark.parametrize(
    ("value", "birth_date"),
    [
        ("290200A9200", datetime.date(2000, 2, 29)),
        ("290296-921T", datetime.date(1996, 2, 29)),
        ("290204A9223", datetime.date(2004, 2, 29)),
    ],
)
def test_29_february_of_a_leap_year_is_a_real_date(value, birth_date):
    assert parse_identity_code(value).birth_date == birth_date


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("310494-925A", id="31 April"),
        pytest.param("290223A9264", id="29 February 2023, not a leap year"),
        pytest.param("290200-9200", id="29 February 1900, not a leap year"),
        pytest.param("290200+9233", id="29 February 1800, not a leap year"),
        pytest.param("291370-9275", id="month 13"),
        pytest.param("000170-928T", id="day 00"),
        pytest.param("010070-9017", id="month 00"),
    ],
)
def test_a_date_that_does_not_exist_is_refused(value):
    # given a code whose check character is right but whose date is not a calendar date

    # when / then
    assert validation_error_code(value) == "date"


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("010170-000H", id="000"),
        pytest.param("010170-001J", id="001"),
    ],
)
def test_individual_numbers_000_and_001_are_refused(value):
    assert validation_error_code(value) == "individual_number"


@pytest.mark.parametrize(
    ("value", "individual_number", "is_synthetic"),
    [
        ("010170-002K", 2, False),
        ("010170-899H", 899, False),
        ("010170-999R", 999, True),
    ],
)
def test_only_individual_numbers_900_to_999_are_synthetic(value, individual_number, is_synthetic):
    code = parse_identity_code(value)

    assert (code.individual_number, code.is_synthetic) == (individual_number, is_synthetic)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("131052-308U", id="neighbouring character"),
        pytest.param("131052-3080", id="digit instead of letter"),
        pytest.param("131052-309T", id="individual number changed"),
        pytest.param("131053-308T", id="year changed"),
    ],
)
def test_a_wrong_check_character_is_refused(value):
    assert validation_error_code(value) == "check_character"


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("", id="empty"),
        pytest.param("131052-308", id="too short"),
        pytest.param("131052-308TT", id="too long"),
        pytest.param("13105-2308T", id="sign in the wrong place"),
        pytest.param("1310AB-308T", id="letters in the date"),
        pytest.param("131052-3O8T", id="letter in the individual number"),
        pytest.param("131052 308T", id="space as century sign"),
        pytest.param("1310521308T", id="digit as century sign"),
        pytest.param("131052-308G", id="check character G"),
        pytest.param("131052-308I", id="check character I"),
        pytest.param("131052-308O", id="check character O"),
        pytest.param("131052-308Q", id="check character Q"),
        pytest.param("131052-308Z", id="check character Z"),
        pytest.param("131052-308-", id="check character -"),
        pytest.param("١٣١٠٥٢-308T", id="non-ASCII digits"),
    ],
)
def test_a_code_of_the_wrong_shape_is_refused_as_a_format_error(value):
    assert validation_error_code(value) == "format"


@pytest.mark.parametrize("sign", ["Z", "G", "T", "H"])
def test_an_unknown_century_sign_is_refused(sign):
    # given a code whose only fault is its century sign
    value = f"131052{sign}308T"

    # when
    with pytest.raises(ValidationError) as raised:
        parse_identity_code(value)

    # then
    assert raised.value.code == "century_sign"
    assert raised.value.params == {"sign": sign}


def test_lower_case_and_surrounding_whitespace_are_normalised():
    code = parse_identity_code("  131052-308t\n")

    assert code.value == "131052-308T"


def test_lower_case_letter_century_signs_are_normalised():
    assert parse_identity_code("010100a908r").value == "010100A908R"


def test_the_format_message_shows_the_expected_shape():
    with pytest.raises(ValidationError) as raised:
        parse_identity_code("131052")

    assert raised.value.messages == ["An identity code has the form DDMMYYCZZZQ, e.g. 131052-308T."]


def test_the_validator_accepts_a_valid_code_and_refuses_an_invalid_one():
    validate_identity_code("131052-308T")

    with pytest.raises(ValidationError) as raised:
        validate_identity_code("131052-308U")
    assert raised.value.code == "check_character"


@pytest.mark.parametrize(
    ("digits9", "expected"),
    [("131052308", "T"), ("010170000", "H"), ("000000000", "0"), ("000000030", "Y")],
)
def test_check_character(digits9, expected):
    assert check_character(digits9) == expected


@pytest.mark.parametrize("digits9", ["13105230", "1310523080", "13105230T", "١٣١٠٥٢٣٠٨"])
def test_check_character_needs_nine_ascii_digits(digits9):
    with pytest.raises(ValueError, match="nine ASCII digits"):
        check_character(digits9)


@pytest.mark.parametrize(
    ("birth_date", "individual_number", "expected"),
    [
        (datetime.date(1899, 8, 17), 901, "170899+9011"),
        (datetime.date(1970, 1, 1), 902, "010170-902L"),
        (datetime.date(2000, 1, 1), 908, "010100A908R"),
        (datetime.date(2000, 2, 29), 920, "290200A9200"),
    ],
)
def test_synthetic_codes_use_the_traditional_century_signs(birth_date, individual_number, expected):
    assert synthetic_identity_code(birth_date, individual_number) == expected


@pytest.mark.parametrize("individual_number", [-1, 0, 1, 2, 308, 899, 1000])
def test_synthetic_codes_never_use_a_real_persons_individual_number(individual_number):
    with pytest.raises(ValueError, match="900-999"):
        synthetic_identity_code(datetime.date(1970, 1, 1), individual_number)


@pytest.mark.parametrize("birth_date", [datetime.date(1799, 12, 31), datetime.date(2100, 1, 1)])
def test_synthetic_codes_need_a_year_an_identity_code_can_hold(birth_date):
    with pytest.raises(ValueError, match="1800-2099"):
        synthetic_identity_code(birth_date, 900)


@given(
    # Up to a day that has passed: a birth date in the future is refused.
    birth_date=st.dates(min_value=datetime.date(1800, 1, 1), max_value=datetime.date(2024, 12, 31)),
    individual_number=st.integers(min_value=900, max_value=999),
)
def test_every_synthetic_code_is_valid_and_round_trips(birth_date, individual_number):
    # given a synthetic code for any date and test-use individual number
    value = synthetic_identity_code(birth_date, individual_number)

    # when
    code = parse_identity_code(value)

    # then
    assert code.value == value
    assert code.birth_date == birth_date
    assert code.individual_number == individual_number
    assert code.is_synthetic is True
    assert code.masked == value[:7] + "****"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("131052-308T", "131052-****"),
        (" 010100a908r ", "010100A****"),
        ("131052-308U", "***********"),
        ("not a code", "***********"),
        ("", "***********"),
    ],
)
def test_masking_shows_only_the_birth_date_of_a_valid_code(value, expected):
    assert mask_identity_code(value) == expected


def test_the_repr_does_not_reveal_the_full_code():
    code = parse_identity_code("131052-308T")

    assert repr(code) == "IdentityCode(masked='131052-****')"
    assert "308T" not in str(code)


def test_no_gender_is_derived():
    # The individual number's parity encodes gender; Polku has no purpose for it.
    code = parse_identity_code("131052-308T")

    assert not [name for name in dir(code) if "gender" in name or "sex" in name]


def test_a_birth_date_in_the_future_is_refused_from_tomorrow_on():
    # given codes of people born today and tomorrow
    today = timezone.localdate()
    born_today = synthetic_identity_code(today, 950)
    born_tomorrow = synthetic_identity_code(today + datetime.timedelta(days=1), 950)

    # when / then
    assert parse_identity_code(born_today).birth_date == today
    assert validation_error_code(born_tomorrow) == "future"


def test_a_code_of_the_2000s_with_a_year_still_ahead_is_refused():
    # given a code whose A (2000s) makes 1 January 1999 into 1 January 2099
    with pytest.raises(ValidationError) as refused:
        parse_identity_code("010199A951N")

    # then the message says what is wrong
    assert refused.value.code == "future"
    assert refused.value.messages == [
        "The birth date in this identity code (01/01/2099) is in the future; check the year "
        "and the century sign."
    ]
    assert mask_identity_code("010199A951N") == "***********"
