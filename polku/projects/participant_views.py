"""Participant screens: a project's participant list and its export, one participant's
page with the entry, sensitive, exit and follow-up forms, and enrolling a client.
Thin: the policy is asked through ``access`` and the selectors, the writes are
``participant_services``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from polku.clients.selectors import get_visible_client, record_view
from polku.core.forms import acted
from polku.core.views import problem
from polku.policy import decisions
from polku.policy.actors import Actor, serves
from polku.policy.enums import Action, Purpose
from polku.projects import participant_exports
from polku.projects import participant_selectors as selectors
from polku.projects import participant_services as services
from polku.projects.access import access_participant
from polku.projects.models import Participant
from polku.projects.participant_forms import (
    EntryForm,
    ExitForm,
    FollowUpForm,
    SensitiveForm,
    tri_state_initial,
)
from polku.projects.participant_selectors import ListFilter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@serves(Purpose.PROJECT_MONITORING)
@transaction.atomic
def participant_list(request: HttpRequest, public_id: str) -> HttpResponse:
    """The project's participants with what is missing; ``?format=xlsx`` the same list as
    a workbook (logged as an export)."""
    actor = Actor.of(request)
    project = selectors.project_for_participants(actor, public_id)
    show = request.GET.get("show", ListFilter.ALL)
    if show not in ListFilter.values:
        show = ListFilter.ALL
    if request.GET.get("format") == "xlsx":
        rows = selectors.participant_rows(actor, project, show=show, action=Action.EXPORT)
        today = timezone.localdate()
        response = HttpResponse(
            participant_exports.participants_xlsx(project, rows), content_type=XLSX
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{participant_exports.participants_filename(project, today)}"'
        )
        return response
    rows = selectors.participant_rows(actor, project, show=show)
    return render(
        request,
        "projects/participants/list.html",
        {
            "project": project,
            "rows": rows,
            "show": show,
            "filters": ListFilter.choices,
        },
    )


def _page_forms(participant: Participant, page: selectors.ParticipantPage) -> dict[str, Any]:
    p = participant
    forms: dict[str, Any] = {
        "entry_form": EntryForm(
            initial={
                "entered_on": p.entered_on,
                "labour_status": p.labour_status,
                "education_level": p.education_level,
            }
        ),
        "exit_form": ExitForm(
            initial={
                "left_on": p.left_on,
                "observed_on": p.exit_observed_on,
                "job_searching": tri_state_initial(p.exit_job_searching),
                "in_education": tri_state_initial(p.exit_in_education),
                "qualification": tri_state_initial(p.exit_qualification),
                "employed": tri_state_initial(p.exit_employed),
            },
            prefill=page.exit_prefill,
        ),
        "follow_up_form": FollowUpForm(
            initial={
                "observed_on": p.follow_up_observed_on,
                "employed": tri_state_initial(p.follow_up_employed),
                "improved": tri_state_initial(p.follow_up_improved),
            },
            prefill=page.follow_up_prefill,
        ),
    }
    if page.may_see_sensitive:
        details = page.sensitive
        forms["sensitive_form"] = SensitiveForm(
            initial={item: getattr(details, item) for item in services.SENSITIVE_ITEMS}
            if details is not None
            else {}
        )
    return forms


def _render_page(
    request: HttpRequest,
    actor: Actor,
    participant: Participant,
    decision: decisions.Decision,
    **bound: Any,
) -> HttpResponse:
    page = selectors.participant_page(actor, participant, decision)
    context: dict[str, Any] = {
        "page": page,
        "participant": participant,
        "client": participant.client,
    }
    context.update(_page_forms(participant, page))
    context.update(bound)
    return render(
        request,
        "projects/participants/participant.html",
        context,
        status=400 if bound else 200,
    )


@login_required
@serves(Purpose.PROJECT_MONITORING)
@transaction.atomic
def participant_page(request: HttpRequest, public_id: str) -> HttpResponse:
    """One participant's entry, exit and follow-up details (and, for the administering
    organisation's project staff, the sensitive details)."""
    actor = Actor.of(request)
    participant, decision = access_participant(actor, public_id)
    return _render_page(request, actor, participant, decision)


def _participant_url(participant: Participant, section: str = "") -> str:
    url = reverse("projects:participant", kwargs={"public_id": participant.public_id})
    return f"{url}#{section}" if section else url


def _record(
    request: HttpRequest,
    public_id: str,
    *,
    form_class: type[forms.Form],
    service: Callable[..., Any],
    saved_message: str,
    section: str,
    page_form: str,
    sensitive: bool = False,
    warning: Callable[[Any], str] = lambda saved: "",
) -> HttpResponse:
    """Save one of the participant page's forms through its service and go back to its
    section (saying ``warning`` of what was saved, if anything); a form with errors is
    shown again on the page, nothing saved."""
    actor = Actor.of(request)
    participant, _decision = access_participant(
        actor, public_id, action=Action.CHANGE, sensitive=sensitive
    )
    form = form_class(request.POST)
    saved = acted(form, lambda data: service(actor=actor, participant=participant, **data))
    if not saved:
        view, decision = access_participant(actor, public_id)
        return _render_page(request, actor, view, decision, **{page_form: form})
    messages.success(request, saved_message)
    if warned := warning(saved):
        messages.warning(request, warned)
    return redirect(_participant_url(participant, section))


def _observed_late(saved: Participant) -> str:
    if saved.exit_observed_on and not services.counts_as_upon_leaving(
        saved.left_on, saved.exit_observed_on
    ):
        return _(
            "The situation was observed more than four weeks after leaving: it is kept, "
            "but it does not count as the situation upon leaving."
        )
    return ""


@login_required
@serves(Purpose.PROJECT_MONITORING)
@require_POST
@transaction.atomic
def record_entry(request: HttpRequest, public_id: str) -> HttpResponse:
    return _record(
        request,
        public_id,
        form_class=EntryForm,
        service=services.record_entry,
        saved_message=_("The entry details have been saved."),
        section="entry",
        page_form="entry_form",
    )


@login_required
@serves(Purpose.PROJECT_MONITORING)
@require_POST
@transaction.atomic
def record_sensitive(request: HttpRequest, public_id: str) -> HttpResponse:
    return _record(
        request,
        public_id,
        form_class=SensitiveForm,
        service=services.record_sensitive,
        saved_message=_("The sensitive details have been saved."),
        section="sensitive",
        page_form="sensitive_form",
        sensitive=True,
    )


@login_required
@serves(Purpose.PROJECT_MONITORING)
@require_POST
@transaction.atomic
def record_exit(request: HttpRequest, public_id: str) -> HttpResponse:
    return _record(
        request,
        public_id,
        form_class=ExitForm,
        service=services.record_exit,
        saved_message=_("The leaving details have been saved."),
        section="exit",
        page_form="exit_form",
        warning=_observed_late,
    )


@login_required
@serves(Purpose.PROJECT_MONITORING)
@require_POST
@transaction.atomic
def record_follow_up(request: HttpRequest, public_id: str) -> HttpResponse:
    return _record(
        request,
        public_id,
        form_class=FollowUpForm,
        service=services.record_follow_up,
        saved_message=_("The situation six months after leaving has been saved."),
        section="follow-up",
        page_form="follow_up_form",
    )


@login_required
@serves(Purpose.PROJECT_MONITORING)
@transaction.atomic
def enrol(request: HttpRequest, public_id: str, client_id: str) -> HttpResponse:
    """Enrol a client in the project, with the entry details Polku already knows."""
    actor = Actor.of(request)
    project = selectors.project_for_participants(actor, public_id)
    client, client_decision = get_visible_client(actor, client_id)
    if not decisions.may_enrol(actor, project, client):
        decisions.refuse(False)
    client_url = reverse("clients:overview", kwargs={"public_id": client.public_id})
    existing = selectors.participation_in(actor, project, client)
    if existing is not None:
        return problem(
            request,
            _("The client already takes part in this project."),
            status=409,
            back_url=_participant_url(existing),
        )
    form = EntryForm(request.POST or None, initial={"entered_on": timezone.localdate()})
    participant = acted(
        form,
        lambda data: services.enrol(actor=actor, project=project, client=client, **data),
    )
    if participant is not None:
        messages.success(request, _("The client has been enrolled in the project."))
        return redirect(_participant_url(participant))
    typed = getattr(form, "cleaned_data", {}).get("entered_on")
    on = typed if typed and typed <= timezone.localdate() else timezone.localdate()
    prefill = selectors.entry_prefill(actor, project, client, on)
    if not form.is_bound:
        form = EntryForm(initial={"entered_on": on}, prefill=prefill)
    record_view(actor, client, client_decision)
    return render(
        request,
        "projects/participants/enrol.html",
        {
            "form": form,
            "project": project,
            "client": client,
            "prefill": prefill,
            "back_url": client_url,
        },
        status=400 if form.is_bound else 200,
    )
