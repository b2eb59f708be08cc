"""Second-factor enforcement for signed-in professionals."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

# Paths a password-authenticated but not yet verified user may still reach.
EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz", "/i18n/")


class SecondFactorMiddleware:
    """Send a signed-in user who has not passed the second factor to where they can.

    A user with a confirmed TOTP device must enter a code before anything else; a user
    without one is sent to enrolment when the second factor is required (production).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()  # type: ignore[attr-defined]
            and not request.path.startswith(EXEMPT_PREFIXES)
        ):
            if user_has_device(user):
                return redirect_to_login(request.get_full_path(), reverse("accounts:verify"))
            if settings.POLKU_REQUIRE_SECOND_FACTOR:
                return redirect("accounts:second_factor_setup")
        return self.get_response(request)
