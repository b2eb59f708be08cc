"""Work-trial screens: the coach's pages (arranging a trial, its page with the consent, the
feedback link and the comparison) and the host's feedback form behind a single-use link,
without sign-in. Thin: the policy and the log are in the selectors, services and
``access``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from polku.clients.selectors import record_view
from polku.core import languages
from polku.core.forms import acted, apply_errors
from polku.core.views import problem
from polku.employment import access, coaching_selectors
from polku.employment import worktrial_selectors as selectors
from polku.employment import worktrial_services as services
from polku.employment.worktrial_enums import AREA_LABELS, LinkState
from polku.employment.worktrial_forms import EmployerConsentForm, HostFeedbackForm, WorkTrialForm
from polku.policy.actors import Actor, serves, where_from
from polku.policy.enums import Action, DataCategory, Purpose

EMPLOYMENT = DataCategory.EMPLOYMENT


# The coach's pages -------------------------------------------------------------------------


@login_required
@serves(Purpose.EMPLOYMENT_SUPPORT)
@transaction.atomic
def new_work_trial(request: HttpRequest, public_id: str) -> HttpResponse:
    """Arrange a work trial within a coaching (from the coaching page)."""
    actor = Actor.of(request)
    coaching, decision = coaching_selectors.get_coaching(actor, public_id, action=Action.CHANGE)
    if not coaching.is_active:
        return problem(
            request,
            _("The job coaching has ended."),
            status=409,
            back_url=reverse("employment:coaching", kwargs={"public_id": coaching.public_id}),
        )
    form = WorkTrialForm(request.POST or None, initial={"default_areas": list(AREA_LABELS)})
    trial = acted(
        form,
        lambda _data: services.arrange_work_trial(
            actor=actor, coaching=coaching, **form.service_arguments()
        ),
    )
    if trial is not None:
        messages.success(request, _("The work trial has been arranged."))
        return redirect("employment:work_trial", public_id=trial.public_id)
    record_view(actor, coaching.client, decision, [DataCategory.BASIC, EMPLOYMENT])
    return render(
        request,
        "employment/worktrials/new.html",
        {"form": form, "coaching": coaching, "client": coaching.client},
        status=400 if form.is_bound else 200,
    )


FORMS = ("edit", "consent", "send", "withdraw", "self_rating")


@never_cache  # a new feedback link is shown on it once
@login_required
@serves(Purpose.EMPLOYMENT_SUPPORT)
@transaction.atomic
def work_trial(request: HttpRequest, public_id: str) -> HttpResponse:
    """The trial page; each form on it posts back here, named by ``form``."""
    actor = Actor.of(request)
    posted = request.POST.get("form", "") if request.method == "POST" else ""
    if posted and posted not in FORMS:
        raise Http404
    trial, decision = selectors.get_work_trial(
        actor, public_id, action=Action.CHANGE if posted else Action.VIEW
    )
    edit_form = WorkTrialForm(
        request.POST if posted == "edit" else None,
        with_employer=False,
        prefix="edit",
        initial=WorkTrialForm.initial_of(trial),
    )
    consent_form = EmployerConsentForm(
        request.POST if posted == "consent" else None, prefix="consent"
    )
    new_link: services.FeedbackLinkSent | None = None
    error_message = ""
    if posted:
        try:
            if posted == "edit":
                if edit_form.is_valid():
                    services.update_work_trial(
                        actor=actor, trial=trial, **edit_form.service_arguments()
                    )
                    messages.success(request, _("The work trial has been saved."))
                    return redirect("employment:work_trial", public_id=trial.public_id)
            elif posted == "consent":
                if consent_form.is_valid():
                    services.record_employer_consent(
                        actor=actor, trial=trial, **consent_form.cleaned_data
                    )
                    messages.success(request, _("The client's consent has been recorded."))
                    return redirect("employment:work_trial", public_id=trial.public_id)
            elif posted == "send":
                new_link = services.send_feedback_link(actor=actor, trial=trial)
            elif posted == "withdraw":
                services.withdraw_feedback_link(actor=actor, trial=trial)
                messages.success(request, _("The feedback link has been withdrawn."))
                return redirect("employment:work_trial", public_id=trial.public_id)
            elif posted == "self_rating":
                services.start_self_rating(actor=actor, trial=trial)
                messages.success(
                    request,
                    _("The client's self-rating has been started. Send its link to the client."),
                )
                return redirect("employment:work_trial", public_id=trial.public_id)
        except ValidationError as error:
            if posted == "edit":
                apply_errors(edit_form, error)
            elif posted == "consent":
                apply_errors(consent_form, error)
            else:
                error_message = " ".join(error.messages)
    page = selectors.trial_page(actor, trial, decision)
    status = 200 if not posted or new_link is not None else 400
    return render(
        request,
        "employment/worktrials/trial.html",
        {
            "page": page,
            "trial": trial,
            "client": trial.client,
            "edit_form": edit_form,
            "consent_form": consent_form,
            "new_link": new_link,
            "error_message": error_message,
        },
        status=status,
    )


# The host's pages, without sign-in ---------------------------------------------------------


def _private(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The token is in the address: no cache keeps the page, and no other site is told
    where the holder came from. Not "no-referrer": with it the browser posts the form with
    ``Origin: null``, which the CSRF check rightly refuses; "same-origin" sends the address
    only back to Polku itself, set here so that a looser site-wide policy cannot leak it."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "same-origin"
        return response

    return never_cache(wrapped)


GONE_STATUS = {
    LinkState.UNKNOWN: 404,
    LinkState.EXPIRED: 410,
    LinkState.USED: 410,
    LinkState.WITHDRAWN: 410,
    LinkState.NO_CONSENT: 410,
}


def _gone(request: HttpRequest, state: LinkState, language_urls: list[Any]) -> HttpResponse:
    return render(
        request,
        "employment/worktrials/host_gone.html",
        {"state": state.value, "language_urls": language_urls},
        status=GONE_STATUS[state],
    )


def _language_urls(request: HttpRequest) -> list[tuple[str, str, str]]:
    return [
        (name.code, name.name_local[:1].upper() + name.name_local[1:], f"?lang={name.code}")
        for name in languages.names()
    ]


@_private
@transaction.atomic
def host_feedback(request: HttpRequest, token: str) -> HttpResponse:
    """The host's feedback form behind the link: who asks, the client's first name, the
    trial's period, workplace and tasks, and a 1–5 rating and a comment for each area.
    Saved as a draft, or sent (which uses the link up). The token alone decides which
    trial: the form carries no id."""
    language = languages.supported(request.GET.get("lang") or translation.get_language())
    urls = _language_urls(request)
    with translation.override(language):
        link, state = services.link_for_token(token)
        if link is None or state != LinkState.USABLE:
            return _gone(request, state, urls)
        actor = access.feedback_link_holder(link, **where_from(request))
        decision = services.feedback_decision(actor, link, Action.VIEW)
        if not decision:
            services.record_refused_use(actor, link)
            return _gone(request, LinkState.NO_CONSENT, urls)
        view = selectors.host_view(link)
        form = HostFeedbackForm(
            request.POST or None,
            areas=link.trial.areas,
            initial=HostFeedbackForm.initial_of(view.draft),
        )
        if request.method == "POST" and form.is_valid():
            submit = "submit" in request.POST
            try:
                services.save_feedback(
                    actor=actor,
                    link=link,
                    ratings=form.ratings(),
                    comments=form.comments(),
                    overall=form.cleaned_data["overall"],
                    submit=submit,
                    language=language,
                )
            except ValidationError as error:
                apply_errors(form, error)
            except PermissionDenied:
                return _gone(request, LinkState.NO_CONSENT, urls)
            else:
                if submit:
                    return render(request, "employment/worktrials/host_thanks.html", {"view": view})
                messages.success(
                    request,
                    _("Your feedback is saved. You can finish it later with the same link."),
                )
                return redirect(request.get_full_path())
        services.record_feedback_view(actor, link, decision)
        return render(
            request,
            "employment/worktrials/host_feedback.html",
            {"view": view, "form": form, "language": language, "language_urls": urls},
            status=400 if form.is_bound else 200,
        )
