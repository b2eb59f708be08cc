"""Measurement screens: results, starting, answering (by link or together), instruments."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from polku.accounts.models import User
from polku.audit.services import Origin
from polku.clients.selectors import get_visible_client
from polku.core.forms import apply_errors
from polku.measures import selectors, services
from polku.measures.definitions import DefinitionError, definition_to_data
from polku.measures.enums import AdministrationStatus, Channel
from polku.measures.fhir import definition_to_questionnaire, questionnaire_to_definition
from polku.measures.forms import AnswerForm, ImportForm, StartForm
from polku.measures.models import InstrumentVersion
from polku.pathways.models import Programme
from polku.policy import decisions
from polku.policy.enums import Action


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
@transaction.atomic
def client_measurements(request: HttpRequest, public_id: str) -> HttpResponse:
    measurements = selectors.client_measurements(Origin.of(request), public_id)
    return render(
        request, "measures/client_measurements.html", {"m": measurements, "start_form": StartForm()}
    )


@login_required
@require_POST
@transaction.atomic
def start(request: HttpRequest, public_id: str) -> HttpResponse:
    origin = Origin.of(request)
    measurements_url = reverse("measures:client", kwargs={"public_id": public_id})
    client, decision = get_visible_client(origin, public_id, action=Action.CREATE)
    form = StartForm(request.POST)
    if not form.is_valid() or decision.organisation is None:
        messages.error(request, _("Choose the instrument, when and how."))
        return redirect(measurements_url)
    try:
        administration = services.start_administration(
            origin=origin, client=client, organisation=decision.organisation, **form.cleaned_data
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(measurements_url)
    if administration.channel == Channel.LINK:
        return redirect("measures:link", public_id=administration.public_id)
    return redirect("measures:answer", public_id=administration.public_id)


def _answer_context(
    form: AnswerForm, administration: Any, missing: tuple[str, ...] = ()
) -> dict[str, Any]:
    definition = administration.instrument.definition
    return {
        "form": form,
        "administration": administration,
        "missing": missing,
        "title": administration.instrument.title,
        "description": definition.description,
    }


@login_required
@transaction.atomic
def answer(request: HttpRequest, public_id: str) -> HttpResponse:
    """A professional rates, records an external result, or answers with the client."""
    origin = Origin.of(request)
    administration, decision = selectors.get_administration(origin, public_id, action=Action.CHANGE)
    if administration.status != AdministrationStatus.DRAFT:
        return redirect("measures:client", public_id=administration.client.public_id)
    form = AnswerForm(
        request.POST or None, instrument=administration.instrument, initial=administration.answers
    )
    missing: tuple[str, ...] = ()
    if request.method == "POST" and form.is_valid():
        try:
            result = services.save_answers(
                origin=origin,
                administration=administration,
                answers=form.cleaned_data,
                submit="submit" in request.POST,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if result.submitted:
                messages.success(request, _("The answers have been saved and scored."))
                return redirect("measures:client", public_id=administration.client.public_id)
            missing = result.missing_required
            if not missing:
                messages.success(request, _("The answers have been saved as a draft."))
                return redirect("measures:client", public_id=administration.client.public_id)
    selectors.log_view(origin, administration.client, decision)
    return render(
        request,
        "measures/answer.html",
        _answer_context(form, administration, missing),
        status=400 if request.method == "POST" else 200,
    )


@login_required
@transaction.atomic
def link(request: HttpRequest, public_id: str) -> HttpResponse:
    """Make a single-use link for the client to answer on their own phone or computer."""
    origin = Origin.of(request)
    administration, decision = selectors.get_administration(origin, public_id, action=Action.CHANGE)
    url = None
    if request.method == "POST":
        token = services.create_answer_link(origin=origin, administration=administration)
        url = request.build_absolute_uri(reverse("measures:public_answer", kwargs={"token": token}))
    else:
        selectors.log_view(origin, administration.client, decision)
    return render(
        request,
        "measures/link.html",
        {"administration": administration, "url": url, "days": services.LINK_DAYS},
    )


@never_cache
@transaction.atomic
def public_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The client's questionnaire behind a single-use link: no sign-in, no other data."""
    link_ = services.link_for_token(token)
    if link_ is None:
        return render(request, "measures/link_gone.html", status=410)
    administration = link_.administration
    client = administration.client
    language = request.GET.get("lang") or client.preferred_language
    if language not in ("fi", "sv", "en"):
        language = "fi"
    with translation.override(language):
        form = AnswerForm(
            request.POST or None,
            instrument=administration.instrument,
            plain=client.plain_language,
            language=language,
            initial=administration.answers,
        )
        missing: tuple[str, ...] = ()
        if request.method == "POST" and form.is_valid():
            try:
                result = services.answer_through_link(
                    token=token, answers=form.cleaned_data, submit="submit" in request.POST
                )
            except ValidationError as error:
                apply_errors(form, error)
            except PermissionDenied:
                return render(request, "measures/link_gone.html", status=410)
            else:
                if result.submitted:
                    return render(
                        request, "measures/thanks.html", {"title": administration.instrument.title}
                    )
                missing = result.missing_required
                if not missing:
                    messages.success(
                        request,
                        _("Your answers are saved. You can continue later with the same link."),
                    )
        context = _answer_context(form, administration, missing)
        context["public"] = True
        context["language"] = language
        return render(
            request,
            "measures/public_answer.html",
            context,
            status=400 if request.method == "POST" and (missing or form.errors) else 200,
        )


@login_required
def groups(request: HttpRequest) -> HttpResponse:
    """Change in the groups the user's organisations serve: aggregates, never individuals."""
    programmes = Programme.objects.order_by("name")
    programme = programmes.filter(code=request.GET.get("programme", "")).first()
    return render(
        request,
        "measures/groups.html",
        {
            "results": selectors.group_results(_user(request), programme),
            "programmes": programmes,
        },
    )


# Instruments ------------------------------------------------------------------------------


@login_required
def instruments(request: HttpRequest) -> HttpResponse:
    form = ImportForm()
    problems: list[str] = []
    if request.method == "POST":
        if not decisions.may_manage_configuration(_user(request)):
            raise PermissionDenied
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                data = json.loads(form.cleaned_data["file"].read().decode("utf-8"))
                source = "import"
                if isinstance(data, dict) and data.get("resourceType") == "Questionnaire":
                    data, source = definition_to_data(questionnaire_to_definition(data)), "fhir"
                version = services.import_definition(data, source=source)
            except (UnicodeDecodeError, json.JSONDecodeError):
                problems = [_("The file is not UTF-8 JSON.")]
            except DefinitionError as error:
                problems = error.problems
            else:
                if version is None:
                    messages.info(request, _("This version of the instrument was already in use."))
                else:
                    messages.success(request, _("The instrument has been imported."))
                return redirect("measures:instruments")
    return render(
        request,
        "measures/instruments.html",
        {
            "versions": InstrumentVersion.objects.order_by("code", "-created_at"),
            "form": form,
            "problems": problems,
            "may_manage": decisions.may_manage_configuration(_user(request)),
        },
    )


@login_required
def instrument_fhir(request: HttpRequest, code: str, version: str) -> JsonResponse:
    instrument = InstrumentVersion.objects.filter(code=code, version=version).first()
    if instrument is None:
        raise Http404
    response = JsonResponse(
        definition_to_questionnaire(instrument.definition),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Content-Disposition"] = f'attachment; filename="{code}-{version}.json"'
    return response
