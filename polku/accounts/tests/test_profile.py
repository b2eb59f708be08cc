"""The professional's own page: work contact details that colleagues see on teams."""

from __future__ import annotations

import pytest
from django.urls import reverse

from polku.accounts.models import User

pytestmark = pytest.mark.django_db
URL = reverse("accounts:profile")


def test_a_professional_sets_their_work_phone_and_title(client, make_professional):
    user = make_professional()
    client.force_login(user)

    response = client.post(URL, {"title": " Sosiaalityöntekijä ", "phone": "+358 40 000 0000"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.title, user.phone) == ("Sosiaalityöntekijä", "+358 40 000 0000")
    page = client.get(URL).content.decode()
    assert 'value="+358 40 000 0000"' in page
    assert "Pirkanmaan hyvinvointialue, sosiaalipalvelut" in page


@pytest.mark.parametrize("phone", ["soita minulle", "12", "+358 40 000 0000 tai 050"])
def test_a_phone_number_that_is_not_one_is_refused_and_nothing_changes(
    client, make_professional, phone
):
    user = make_professional()
    User.objects.filter(pk=user.pk).update(phone="040 000 0000")
    client.force_login(user)

    response = client.post(URL, {"title": "", "phone": phone})

    assert response.status_code == 400
    assert "Write the phone number with digits" in response.content.decode()
    assert f'value="{phone}"' in response.content.decode()
    user.refresh_from_db()
    assert user.phone == "040 000 0000"


def test_the_e_mail_address_is_not_changed_on_the_page(client, make_professional):
    user = make_professional(email="sanna@example.invalid")
    client.force_login(user)

    client.post(URL, {"title": "", "phone": "", "email": "attacker@example.invalid"})

    user.refresh_from_db()
    assert user.email == "sanna@example.invalid"


def test_the_page_needs_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
