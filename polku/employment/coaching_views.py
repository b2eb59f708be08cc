"""Job-coaching screens: the coach's caseload, starting coaching, the coaching page and
ending it. Thin: the policy and the log are in the selectors, services and ``access``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from polku.clients.selectors import record_view
from polku.core.confirmation import confirm_then_act
from polku.core.forms import apply_errors
from polku.core.views import problem
from polku.employment import coaching_selectors as selectors
from polku.employment import coaching_services as services
from polku.employment import placement_selectors
from polku.employment.coaching_enums import TransitionKind
from polku.employment.coaching_forms import (
    ContactForm,
    EndCoachingForm,
    FollowUpForm,
    ProfileForm,
    StageForm,
    StartCoachingForm,
)
from polku.employment.models import Coaching
from polku.pathways.access import access_episode
from polku.policy import decisions
from polku.policy.actors import Actor, serves
from polku.policy.enums import Action, DataCategory, Purpose

EMPLOYMENT = DataCategory.EMPLOYMENT


@login_required
@serves(Purpose.EMPLOYMENT_SUPPORT)
@transaction.atomic
def caseload(request: HttpRequest) -> HttpResponse:
    """The job coach's caseload: each client in open coaching with stage, days in stage,
    last contact and next step."""
    actor = Actor.of(request)
    return render(
        request,
        "employment/coaching/caseload.html",
        {"rows": selectors.caseload(actor), "today": timezone.localdate()},
    )


@login_required
@serves(Purpose.EMPLOYMENT_SUPPORT)
@transaction.atomic
def start_coaching(request: HttpRequest, public_id: str) -> HttpResponse:
    """Start job coaching in an episode (from the episode page)."""
    actor = Actor.of(request)
    episode, _decision = access_episode(actor, public_id)
    decision = decisions.require(
        actor,
        episode.client,
        action=Action.CHANGE,
        category=EMPLOYMENT,
        owner=episode.organisation,
        register=episode.register,
    )
    form = StartCoachingForm(
        request.POST or None,
        organisation_id=episode.organisation_id,
        initial={"coach": request.user.pk},
    )
    if request.method == "POST" and form.is_valid():
        try:
            coaching = services.start_coaching(actor=actor, episode=episode, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Job coaching has started."))
            return redirect("employment:coaching", public_id=coaching.public_id)
    record_view(actor, episode.client, decision, [DataCategory.BASIC])
    return render(
        request,
        "employment/coaching/start.html",
        {"form": form, "episode": episode, "client": episode.client},
        status=400 if form.is_bound else 200,
    )


def _forms(coaching: Coaching, data: Any = None, posted: str = "") -> dict[str, Any]:
    def bound(name: str) -> Any:
        return data if posted == name else None

    return {
        "stage_form": StageForm(bound("stage"), current=coaching.stage, prefix="stage"),
        "profile_form": ProfileForm(
            bound("profile"),
            prefix="profile",
            initial={
                "job_preferences": coaching.job_preferences,
                "strengths": coaching.strengths,
                "supports_needed": coaching.supports_needed,
                "next_step": coaching.next_step,
                "next_step_on": coaching.next_step_on,
            },
        ),
        "contact_form": ContactForm(bound("contact"), prefix="contact"),
        "follow_up_form": FollowUpForm(bound("follow_up"), prefix="follow_up"),
        "end_form": EndCoachingForm(prefix="end"),
    }


ACTS: dict[str, tuple[Callable[..., object], str | Promise]] = {
    "stage": (services.change_stage, gettext_lazy("The stage has been changed.")),
    "profile": (services.update_profile, gettext_lazy("The profile has been saved.")),
    "contact": (services.record_contact, gettext_lazy("The contact has been recorded.")),
    "follow_up": (services.record_follow_up, gettext_lazy("The follow-up has been recorded.")),
}


@login_required
@serves(Purpose.EMPLOYMENT_SUPPORT)
@transaction.atomic
def coaching(request: HttpRequest, public_id: str) -> HttpResponse:
    """The coaching page; each form on it posts back here, named by ``form``."""
    actor = Actor.of(request)
    posted = request.POST.get("form", "") if request.method == "POST" else ""
    coaching_obj, decision = selectors.get_coaching(
        actor, public_id, action=Action.CHANGE if posted else Action.VIEW
    )
    forms = _forms(coaching_obj, request.POST or None, posted)
    if posted:
        form = forms.get(f"{posted}_form")
        if form is None or posted not in ACTS:
            raise Http404
        act, done = ACTS[posted]
        if form.is_valid():
            try:
                act(actor=actor, coaching=coaching_obj, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, str(done))
                return redirect("employment:coaching", public_id=public_id)
    page = selectors.coaching_page(actor, coaching_obj, decision)
    return render(
        request,
        "employment/coaching/coaching.html",
        {
            "page": page,
            "coaching": page.coaching,
            "client": page.coaching.client,
            "placements": placement_selectors.placements_panel(page.coaching),
            **forms,
        },
        status=400 if posted else 200,
    )


@login_required
@serves(Purpose.EMPLOYMENT_SUPPORT)
@transaction.atomic
def end_coaching(request: HttpRequest, public_id: str) -> HttpResponse:
    """Ending the coaching: the transition at exit chosen on purpose, then a page that
    says what will follow, then the end (``core.confirmation``)."""
    actor = Actor.of(request)
    coaching_obj, decision = selectors.get_coaching(actor, public_id, action=Action.CHANGE)
    back_url = reverse("employment:coaching", kwargs={"public_id": coaching_obj.public_id})
    if not coaching_obj.is_active:
        return problem(request, _("The job coaching has ended."), status=409, back_url=back_url)
    form = EndCoachingForm(request.POST or None, prefix="end")

    def perform(data: dict[str, Any]) -> HttpResponse:
        services.end_coaching(actor=actor, coaching=coaching_obj, **data)
        messages.success(request, _("The job coaching has ended."))
        return redirect(back_url)

    def consequences(data: dict[str, Any]) -> dict[str, Any]:
        ended_on = data["ended_on"] or timezone.localdate()
        return {
            "transition": TransitionKind(data["transition"]).label,
            "ended_on": ended_on,
            "follow_ups": [
                (occasion.label, due_on)
                for occasion, due_on in services.follow_up_dates(ended_on).items()
            ],
        }

    return confirm_then_act(
        request,
        form=form,
        act="end_coaching",
        subject=str(coaching_obj.public_id),
        template="employment/coaching/end.html",
        context={"coaching": coaching_obj, "client": coaching_obj.client},
        log_view=lambda: record_view(
            actor, coaching_obj.client, decision, [DataCategory.BASIC, EMPLOYMENT]
        ),
        check=lambda data: services.check_end_coaching(coaching_obj, **data),
        consequences=consequences,
        perform=perform,
        back_url=back_url,
    )
