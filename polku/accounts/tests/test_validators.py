import pytest
from django.core.exceptions import ValidationError

from polku.accounts.validators import validate_business_id


@pytest.mark.parametrize("value", ["0245437-2", "1572860-0", "0201256-6"])
def test_valid_business_ids_pass(value):
    validate_business_id(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("0245437-3", "business_id_check"),
        ("245437-2", "business_id_format"),
        ("02454372", "business_id_format"),
        ("0245437-", "business_id_format"),
        ("", "business_id_format"),
    ],
)
def test_invalid_business_ids_name_their_problem(value, code):
    with pytest.raises(ValidationError) as raised:
        validate_business_id(value)

    assert raised.value.code == code
