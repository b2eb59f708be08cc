"""Polku's own error pages: in the user's language, with a way home, and nothing of the
request (its address, the error, whether what was asked for exists)."""

import re
import uuid
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path, reverse

from polku.accounts.enums import OrganisationKind, Role
from polku.clients.services import RelationshipTerms, register_client
from polku.policy.actors import Actor
from polku.policy.enums import LegalBasis, Register
from polku.urls import urlpatterns as polku_urlpatterns

SECRET = "Polkunen 010675-951H"  # what an error's message might quote


def fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(f"Could not save {SECRET}")


def refuses(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied(f"No access to {SECRET}")


def suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation(f"Odd request about {SECRET}")


urlpatterns = [
    path("test-errors/fails/", fails),
    path("test-errors/refuses/", refuses),
    path("test-errors/suspicious/", suspicious),
    *polku_urlpatterns,
]


# Text that the base layout says in each language (an existing translation), showing the
# page was rendered in that language.
def without_tokens(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


SKIP_LINK = {"fi": "Siirry pääsisältöön", "sv": "Hoppa till huvudinnehållet", "en": "Skip"}


def assert_own_page(response: Any, language: str = "fi") -> str:
    page = response.content.decode()
    assert 'class="page--narrow error-page"' in page
    assert f'<html lang="{language}">' in page
    assert SKIP_LINK[language] in page
    assert f'href="{reverse("home")}"' in page
    assert SECRET not in page
    assert "Traceback" not in page
    return page


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_a_missing_page_is_polkus_own_404_in_the_browsers_language(client, language):
    response = client.get("/clients/no-such-page-4711/", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 404
    page = assert_own_page(response, language)
    assert "no-such-page-4711" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_language_chosen_in_polku_wins_on_the_404_page(client, settings, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = client.get("/no-such-page-4711/", HTTP_ACCEPT_LANGUAGE="fi")

    assert response.status_code == 404
    assert "no-such-page-4711" not in assert_own_page(response, language)


@pytest.mark.django_db
def test_another_organisations_client_gets_the_same_404_as_a_client_that_does_not_exist(
    client, make_organisation, make_professional
):
    elsewhere = make_organisation("Sosiaalipalvelut B", OrganisationKind.SOCIAL_WELFARE)
    registrar = make_professional("registrar", Role.SOCIAL_WORKER, elsewhere)
    hidden = register_client(
        actor=Actor.for_user(registrar),
        terms=RelationshipTerms(
            organisation=elsewhere,
            register=Register.SOCIAL_WELFARE,
            legal_basis=LegalBasis.SOCIAL_WELFARE_ACT,
        ),
        first_names="Hilla",
        last_name="Piilonen",
        birth_date=date(1990, 1, 1),
    ).client
    client.force_login(make_professional("reader", Role.SOCIAL_WORKER))

    existing = client.get(f"/clients/{hidden.public_id}/", HTTP_ACCEPT_LANGUAGE="fi")
    missing = client.get(f"/clients/{uuid.uuid4()}/", HTTP_ACCEPT_LANGUAGE="fi")

    assert existing.status_code == missing.status_code == 404
    page = assert_own_page(existing)
    assert str(hidden.public_id) not in page
    assert "Piilonen" not in page
    assert without_tokens(page) == without_tokens(assert_own_page(missing))


@pytest.mark.django_db
@pytest.mark.urls(__name__)
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_a_failing_view_gives_polkus_own_500_page_without_the_error(language):
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language)

    response = client.get("/test-errors/fails/")

    assert response.status_code == 500
    page = assert_own_page(response, language)
    assert "test-errors" not in page
    assert "RuntimeError" not in page


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_refusal_gives_polkus_own_403_page_without_its_reason(client):
    response = client.get("/test-errors/refuses/", HTTP_ACCEPT_LANGUAGE="fi")

    assert response.status_code == 403
    assert "test-errors" not in assert_own_page(response)


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_suspicious_request_gives_polkus_own_400_page(client):
    response = client.get("/test-errors/suspicious/", HTTP_ACCEPT_LANGUAGE="sv")

    assert response.status_code == 400
    assert "test-errors" not in assert_own_page(response, "sv")


@pytest.mark.django_db
def test_a_form_without_its_csrf_token_gives_polkus_own_page():
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")

    response = client.post(reverse("accounts:login"), {"username": "a", "password": "b"})

    assert response.status_code == 403
    page = assert_own_page(response, "en")
    assert "CSRF" not in page
    assert "/accounts/login/" not in page
