"""Sign-in, second factor and the professional's home page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import user_has_device

from polku.accounts import services
from polku.accounts.forms import ContactDetailsForm, LoginForm, TokenForm
from polku.accounts.models import User
from polku.core.forms import apply_errors


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def locked_out(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """Shown after too many failed attempts; says nothing about whether the user exists."""
    return render(request, "accounts/locked_out.html", status=429)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return str(reverse_lazy("home"))


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Second step of sign-in: the code from the user's authenticator app."""
    assert isinstance(request.user, User)
    if not user_has_device(request.user):
        return redirect("accounts:second_factor_setup")
    form = TokenForm(request.POST or None)
    if form.is_valid():
        result = services.verify_second_factor(
            request=request, user=request.user, token=form.cleaned_data["token"]
        )
        if result is services.Verification.VERIFIED:
            return redirect(_safe_next(request))
        elif result is services.Verification.THROTTLED:
            form.add_error("token", _("Too many wrong codes in a row. Wait a moment, then retry."))
        else:
            form.add_error("token", _("The code is incorrect or has expired. Try the newest code."))
    return render(request, "accounts/verify.html", {"form": form, "next": _safe_next(request)})


@login_required
def second_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the QR code, then confirm with one code."""
    assert isinstance(request.user, User)
    if user_has_device(request.user) and not request.user.is_verified():  # type: ignore[attr-defined]
        # Replacing a device requires proving possession of the current one first.
        return redirect("accounts:verify")
    device = services.pending_totp_device(user=request.user)
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if services.confirm_totp_device(
            request=request, user=request.user, token=form.cleaned_data["token"]
        ):
            messages.success(request, _("Two-step sign-in is now on for your account."))
            return redirect("home")
        form.add_error(
            "token", _("The code did not match. Check the time on your phone and try again.")
        )
    return render(
        request,
        "accounts/second_factor_setup.html",
        {
            "form": form,
            "qr_data_uri": services.totp_qr_data_uri(device),
            "secret": services.totp_secret_base32(device),
        },
    )


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The professional's own details: memberships, and the work contact details that
    colleagues see on the teams they are on."""
    assert isinstance(request.user, User)
    user = request.user
    form = ContactDetailsForm(
        request.POST or None, instance=User(title=user.title, phone=user.phone)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_contact_details(user=user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your contact details have been saved."))
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "memberships": user.active_memberships().select_related("organisation", "unit"),
        },
        status=400 if request.method == "POST" else 200,
    )
