"""Sign-in: password step, lockout, second factor, idle timeout, password reset."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import TEST_PASSWORD

LOGIN = "/accounts/login/"
GENERIC_ERROR = "The user name or password is incorrect."


@pytest.fixture
def professional(make_professional):
    return make_professional()


def sign_in(client, username, password=TEST_PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_a_professional_signs_in_and_sees_their_organisation(client, professional):
    response = sign_in(client, "sanna")

    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "Pirkanmaan hyvinvointialue, sosiaalipalvelut" in home.content.decode()


def test_passwords_are_stored_with_argon2(settings, db):
    from polku.accounts.models import User

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = User.objects.create_user(username="argon", password=TEST_PASSWORD)

    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(TEST_PASSWORD)


def test_the_production_hasher_is_argon2():
    from polku import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_home_requires_sign_in(client, db):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_wrong_password_and_unknown_user_get_the_same_answer(client, professional):
    wrong_password = sign_in(client, "sanna", "not-the-password")
    unknown_user = sign_in(client, "nobody-by-this-name", "not-the-password")

    assert wrong_password.status_code == unknown_user.status_code == 200
    for response in (wrong_password, unknown_user):
        assert GENERIC_ERROR in response.content.decode("utf-8").replace("&#x27;", "'")
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("username", ["sanna", "nobody-by-this-name"])
def test_repeated_failures_lock_out_existing_and_unknown_names_alike(
    client, professional, settings, username
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, username, "not-the-password")

    response = sign_in(client, username, TEST_PASSWORD)

    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_user_with_an_authenticator_must_enter_a_code(client, professional):
    device = TOTPDevice.objects.create(user=professional, name="Polku", confirmed=True)
    sign_in(client, "sanna")

    blocked = client.get("/")
    assert blocked.status_code == 302
    assert blocked["Location"].startswith(reverse("accounts:verify"))

    right = client.post(reverse("accounts:verify"), {"token": code_for(device), "next": "/"})
    assert right.status_code == 302
    assert client.get("/").status_code == 200


def test_a_wrong_code_is_refused_and_the_next_try_must_wait(client, professional):
    device = TOTPDevice.objects.create(user=professional, name="Polku", confirmed=True)
    sign_in(client, "sanna")

    wrong = client.post(reverse("accounts:verify"), {"token": "000000", "next": "/"})
    assert "The code is incorrect or has expired" in wrong.content.decode()

    too_soon = client.post(reverse("accounts:verify"), {"token": code_for(device), "next": "/"})
    assert "Wait a moment, then retry." in too_soon.content.decode()
    assert client.get("/").status_code == 302


def test_verify_never_redirects_to_another_site(client, professional):
    device = TOTPDevice.objects.create(user=professional, name="Polku", confirmed=True)
    sign_in(client, "sanna")

    response = client.post(
        reverse("accounts:verify"), {"token": code_for(device), "next": "https://evil.example/"}
    )

    assert response["Location"] == "/"


def test_enrolment_shows_a_qr_code_and_confirms_with_a_code(client, professional):
    sign_in(client, "sanna")

    page = client.get(reverse("accounts:second_factor_setup"))
    assert page.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in page.content.decode()
    device = TOTPDevice.objects.get(user=professional, confirmed=False)

    client.post(reverse("accounts:second_factor_setup"), {"token": "12345"})
    assert not TOTPDevice.objects.filter(user=professional, confirmed=True).exists()

    response = client.post(reverse("accounts:second_factor_setup"), {"token": code_for(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200


def test_when_required_a_user_without_an_authenticator_is_sent_to_enrolment(
    client, professional, settings
):
    settings.POLKU_REQUIRE_SECOND_FACTOR = True
    sign_in(client, "sanna")

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:second_factor_setup")


def test_the_session_expires_after_the_idle_timeout(client, professional, settings):
    sign_in(client, "sanna")

    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    session = client.session
    session.set_expiry(-1)
    session.save()

    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_sign_out_ends_the_session(client, professional):
    sign_in(client, "sanna")

    client.post(reverse("accounts:logout"))

    assert client.get("/").status_code == 302


def test_password_reset_mails_a_link_only_to_a_known_address_and_says_the_same(
    client, professional
):
    known = client.post(reverse("accounts:password_reset"), {"email": "sanna@example.invalid"})
    unknown = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.invalid"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sanna@example.invalid"]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
    path = link.split("testserver", 1)[1]

    form = client.get(path, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-secret-2026", "new_password2": "a-brand-new-secret-2026"},
    )
    assert done.status_code == 302
    assert sign_in(client, "sanna", "a-brand-new-secret-2026").status_code == 302


def test_the_code_page_returns_to_the_whole_address_asked_for(client, professional):
    from urllib.parse import parse_qs, urlparse

    TOTPDevice.objects.create(user=professional, name="Polku", confirmed=True)
    sign_in(client, "sanna")

    blocked = client.get("/clients/?q=Testinen+Aino")

    query = parse_qs(urlparse(blocked["Location"]).query)
    assert query["next"] == ["/clients/?q=Testinen+Aino"]
