"""Pages of the employer register and the engagement log: thin views over the employer
services and selectors. Employer data is not client data, so these pages declare no
purpose and write no access-log rows; the engagement log is read through the policy."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.core.forms import apply_errors
from polku.employment import employer_selectors, employer_services
from polku.employment.employer_forms import (
    ContactPersonForm,
    EmployerContactForm,
    EmployerForm,
    EmployerSearchForm,
    WeekRangeForm,
)
from polku.employment.models import Employer
from polku.policy.actors import Actor

# "My employer contacts" shows the current week and the seven before it unless asked.
DEFAULT_WEEKS = 8


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """The employer register: search by the beginning of the name or a whole business ID."""
    actor = Actor.of(request)
    form = EmployerSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    found = employer_selectors.search_employers(actor, query)
    page_size = employer_selectors.REGISTER_PAGE_SIZE
    employers = list(found[: page_size + 1])
    return render(
        request,
        "employment/employers/register.html",
        {
            "form": form,
            "query": query,
            "employers": employers[:page_size],
            "more": len(employers) > page_size,
        },
    )


@login_required
def create(request: HttpRequest) -> HttpResponse:
    actor = Actor.of(request)
    employer_selectors.search_employers(actor)  # refuses roles outside client work
    form = EmployerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            employer = employer_services.create_employer(actor=actor, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The employer was added."))
            return redirect("employment:employer", employer_id=employer.pk)
    return render(request, "employment/employers/form.html", {"form": form, "employer": None})


@login_required
def edit(request: HttpRequest, employer_id: int) -> HttpResponse:
    actor = Actor.of(request)
    employer = employer_selectors.employer_for(actor, employer_id)
    form = EmployerForm(request.POST or None, instance=Employer.objects.get(pk=employer.pk))
    if request.method == "POST" and form.is_valid():
        try:
            employer_services.update_employer(employer, actor=actor, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The employer's details were saved."))
            return redirect("employment:employer", employer_id=employer.pk)
    return render(request, "employment/employers/form.html", {"form": form, "employer": employer})


@login_required
def employer(request: HttpRequest, employer_id: int) -> HttpResponse:
    """An employer's details, contact people and this organisation's contacts with it;
    a contact person or a contact is added here (``form`` says which)."""
    actor = Actor.of(request)
    found = employer_selectors.employer_for(actor, employer_id)
    posted = request.POST.get("form") if request.method == "POST" else None
    person_form = ContactPersonForm(request.POST if posted == "person" else None, prefix="person")
    contact_form = EmployerContactForm(
        request.POST if posted == "contact" else None, employer=found, prefix="contact"
    )
    if posted == "person" and person_form.is_valid():
        try:
            employer_services.add_contact_person(found, actor=actor, **person_form.cleaned_data)
        except ValidationError as error:
            apply_errors(person_form, error)
        else:
            messages.success(request, _("The contact person was added."))
            return redirect("employment:employer", employer_id=found.pk)
    if posted == "contact" and contact_form.is_valid():
        try:
            employer_services.record_employer_contact(
                actor=actor, employer=found, **contact_form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(contact_form, error)
        else:
            messages.success(request, _("The contact was recorded."))
            return redirect("employment:employer", employer_id=found.pk)
    return render(
        request,
        "employment/employers/employer.html",
        {
            "employer": found,
            "people": employer_selectors.contact_people(actor, found),
            "contacts": employer_selectors.employer_contacts(actor, found)[:100],
            "person_form": person_form,
            "contact_form": contact_form,
            "may_record": actor.client_work_membership() is not None,
        },
    )


@login_required
def my_contacts(request: HttpRequest) -> HttpResponse:
    """The signed-in coach's employer contacts per ISO week, with the face-to-face ones
    against the IPS expectation of about six a week."""
    actor = Actor.of(request)
    employer_selectors.search_employers(actor)  # refuses roles outside client work
    today = timezone.localdate()
    form = WeekRangeForm(request.GET or None)
    end = today
    start = today - timedelta(days=today.weekday() + 7 * (DEFAULT_WEEKS - 1))
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    context: dict[str, Any] = {
        "form": form,
        "start": start,
        "end": end,
        "target": employer_selectors.FACE_TO_FACE_PER_WEEK,
        "weeks": [],
        "contacts": [],
    }
    if not form.errors:
        context["weeks"] = employer_selectors.contacts_per_week(actor, actor.person, start, end)
        context["contacts"] = employer_selectors.coach_contacts(actor, actor.person, start, end)[
            :200
        ]
    return render(request, "employment/employers/my_contacts.html", context)
