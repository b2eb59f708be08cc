"""Measurement screens: results, starting, answering (by link or together), instruments."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from polku.accounts.models import User
from polku.clients.selectors import get_visible_client, record_view
from polku.core import languages, sms
from polku.core.forms import apply_errors
from polku.core.qr import qr_svg
from polku.core.views import problem
from polku.measures import selectors, services
from polku.measures.definitions import CODE, VERSION, DefinitionError, definition_to_data
from polku.measures.enums import AdministrationStatus, Channel, Delivery
from polku.measures.fhir import definition_to_questionnaire, questionnaire_to_definition
from polku.measures.forms import (
    NOT_OFFERED,
    AnswerForm,
    DefinitionForm,
    ImportForm,
    RemoveScheduleForm,
    ScheduleForm,
    StartForm,
    WordingForm,
)
from polku.measures.models import Administration, InstrumentVersion
from polku.measures.schedules import add_schedule, remove_schedule
from polku.policy import decisions
from polku.policy.actors import Actor, serves, where_from
from polku.policy.enums import Action, DataCategory, Purpose


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
@serves(Purpose.SERVICE_COORDINATION)
@transaction.atomic
def client_measurements(request: HttpRequest, public_id: str) -> HttpResponse:
    measurements = selectors.client_measurements(Actor.of(request), public_id)
    return render(
        request, "measures/client_measurements.html", {"m": measurements, "start_form": StartForm()}
    )


@login_required
@serves(Purpose.SERVICE_COORDINATION)
@transaction.atomic
def plain_summary(request: HttpRequest, public_id: str) -> HttpResponse:
    """The client's results in plain language, to go through or print with the client."""
    client, summary = selectors.plain_summary(Actor.of(request), public_id)
    return render(request, "measures/plain_summary.html", {"client": client, "summary": summary})


@login_required
@serves(Purpose.SERVICE_COORDINATION)
@require_POST
@transaction.atomic
def start(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = Actor.of(request)
    measurements_url = reverse("measures:client", kwargs={"public_id": public_id})
    client, decision = get_visible_client(actor, public_id, action=Action.CREATE)
    form = StartForm(request.POST)
    if not form.is_valid() or decision.organisation is None:
        messages.error(
            request,
            str(NOT_OFFERED)
            if form.has_error("instrument", "invalid_choice")
            else _("Choose the instrument, when and how."),
        )
        return redirect(measurements_url)
    try:
        administration = services.start_administration(
            actor=actor, client=client, organisation=decision.organisation, **form.cleaned_data
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(measurements_url)
    if administration.channel == Channel.LINK:
        return redirect("measures:link", public_id=administration.public_id)
    return redirect("measures:answer", public_id=administration.public_id)


# Answering ---------------------------------------------------------------------------------

ONE_PAGE = "all"
# Sent by polku.js when it saves the answers in the background (progressive enhancement).
AUTOSAVE_HEADER = "X-Polku-Autosave"
Save = Callable[[dict[str, Any], bool], services.SaveResult]


class NoSuchStep(Exception):
    """The address names a question the questionnaire does not have."""


@dataclass(frozen=True)
class Steps:
    """A questionnaire shown a question at a time (question ``number`` of ``count``), or
    on one page (``number`` is None). Each step is a form of its own: no JavaScript needed,
    and every step saves the answers so far."""

    number: int | None
    count: int

    @classmethod
    def of(cls, request: HttpRequest, count: int, *, one_at_a_time: bool) -> Steps:
        """The steps the page asks for; ``NoSuchStep`` unless ``?step=`` is empty, "all"
        or the number of a question (1 to ``count``, ASCII digits only)."""
        raw = request.GET.get("step", "")
        if raw == ONE_PAGE or (count == 1 and not raw):
            return cls(None, count)
        if not raw:
            return cls(1 if one_at_a_time else None, count)
        # Compared as text first: int() would take other scripts' digits, and refuses
        # (with an error) numbers of thousands of digits.
        if not (raw.isascii() and raw.isdigit() and len(raw) <= len(str(count))):
            raise NoSuchStep
        number = int(raw)
        if not 1 <= number <= count:
            raise NoSuchStep
        return cls(None if count == 1 else number, count)

    @property
    def is_last(self) -> bool:
        return self.number is None or self.number == self.count


def _query(request: HttpRequest, **values: str | int) -> str:
    """The page's own query string with ``values`` changed."""
    query = request.GET.copy()
    for key, value in values.items():
        query[key] = str(value)
    return f"?{query.urlencode()}"


def _questionnaire(
    request: HttpRequest,
    administration: Administration,
    *,
    save: Save,
    template: str,
    one_at_a_time: bool,
    finished: Callable[[services.SaveResult], HttpResponse],
    shown: Callable[[], None] = lambda: None,
    plain: bool = False,
    language: str | None = None,
    more_context: dict[str, Any] | None = None,
) -> HttpResponse:
    """Show, save and send a questionnaire, on one page or a question at a time.

    ``save(answers, submit)`` stores the answers; ``finished`` answers the request once the
    questionnaire has been sent, or saved to be continued later; ``shown`` is called when
    the questionnaire page itself is shown (to log the look)."""
    definition = administration.instrument.definition
    try:
        steps = Steps.of(request, len(definition.items), one_at_a_time=one_at_a_time)
    except NoSuchStep:
        return problem(
            request,
            _("This questionnaire has no such question. Start again from the first question."),
            back_url=request.path + _query(request, step=1),
        )
    form = AnswerForm(
        request.POST or None,
        instrument=administration.instrument,
        plain=plain,
        language=language,
        step=steps.number,
        initial=administration.answers,
    )
    missing: tuple[str, ...] = ()
    if request.method == "POST" and form.is_valid():
        go = request.POST.get("go", "")
        try:
            result = save(form.cleaned_data, "submit" in request.POST)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            missing = result.missing_required
            if request.headers.get(AUTOSAVE_HEADER) and not result.submitted:
                return HttpResponse(status=204)  # saved in the background as the user answers
            if result.submitted or (not missing and "save" in request.POST):
                return finished(result)
            if steps.number is not None and go in ("next", "back"):
                step = min(max(steps.number + (1 if go == "next" else -1), 1), steps.count)
                return redirect(request.path + _query(request, step=step))
    numbers = {item.code: number for number, item in enumerate(definition.items, start=1)}
    context = {
        "form": form,
        "administration": administration,
        "title": administration.instrument.title,
        "description": definition.description,
        "steps": steps,
        "missing": [
            (
                numbers[code],
                _query(request, step=numbers[code]) if steps.number else f"#q-{numbers[code]}",
            )
            for code in missing
        ],
        "one_page_url": _query(request, step=ONE_PAGE),
        "language_urls": [
            (
                name.code,
                name.name_local[:1].upper() + name.name_local[1:],
                _query(request, lang=name.code),
            )
            for name in languages.names()
        ],
        "first_step_url": _query(request, step=1),
        "language": language,
        **(more_context or {}),
    }
    invalid = request.method == "POST" and (bool(missing) or bool(form.errors))
    shown()
    return render(request, template, context, status=400 if invalid else 200)


@login_required
@serves(Purpose.SERVICE_COORDINATION)
@transaction.atomic
def answer(request: HttpRequest, public_id: str) -> HttpResponse:
    """A professional rates, records an external result, or answers with the client."""
    actor = Actor.of(request)
    administration, decision = selectors.get_administration(actor, public_id, action=Action.CHANGE)
    client_page = reverse("measures:client", kwargs={"public_id": administration.client.public_id})
    if administration.status != AdministrationStatus.DRAFT:
        return redirect(client_page)

    def save(answers: dict[str, Any], submit: bool) -> services.SaveResult:
        return services.save_answers(
            actor=actor, administration=administration, answers=answers, submit=submit
        )

    def finished(result: services.SaveResult) -> HttpResponse:
        if result.submitted:
            messages.success(request, _("The answers have been saved and scored."))
        else:
            messages.success(request, _("The answers have been saved as a draft."))
        return redirect(client_page)

    return _questionnaire(
        request,
        administration,
        save=save,
        template="measures/answer.html",
        one_at_a_time=False,
        finished=finished,
        shown=lambda: record_view(
            actor, administration.client, decision, [DataCategory.MEASUREMENTS]
        ),
    )


# What a refused sending answers with: the page again, with the reason.
SEND_REFUSED_STATUS = {"no_contact": 400, "invalid": 400, "gone": 409, "limit": 429}


@login_required
@serves(Purpose.SERVICE_COORDINATION)
@transaction.atomic
def link(request: HttpRequest, public_id: str) -> HttpResponse:
    """Make a single-use link for the client to answer on their own phone or computer,
    and send it to the client's e-mail address or mobile number on file, copy it, or show
    it as a QR code."""
    actor = Actor.of(request)
    administration, decision = selectors.get_administration(actor, public_id, action=Action.CHANGE)
    client = administration.client
    if administration.status != AdministrationStatus.DRAFT:
        # Nothing of the client's is shown, so there is no look to log.
        return problem(
            request,
            _("This questionnaire has already been completed; it needs no link."),
            status=409,
            back_url=reverse("measures:client", kwargs={"public_id": client.public_id}),
        )
    token: str | None = None
    status = 200
    if request.method == "POST" and "send" in request.POST:
        try:
            sent = services.send_answer_link(
                actor=actor,
                administration=administration,
                delivery=request.POST["send"],
                token=request.POST.get("token") or None,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            status = SEND_REFUSED_STATUS.get(str(error.code), 400)
        else:
            token = sent.token
            messages.success(
                request,
                (
                    _("The link has been sent by e-mail to %(to)s.")
                    if sent.delivery == Delivery.EMAIL
                    else _("The link has been sent as a text message to %(to)s.")
                )
                % {"to": sent.to},
            )
    elif request.method == "POST":
        try:
            token = services.create_answer_link(actor=actor, administration=administration)
        except ValidationError as error:
            return problem(request, " ".join(error.messages), status=409)
    if token is None:
        selectors.record_link_page_view(actor, administration, decision)
    url = (
        request.build_absolute_uri(reverse("measures:public_answer", kwargs={"token": token}))
        if token
        else None
    )
    return render(
        request,
        "measures/link.html",
        {
            "administration": administration,
            "client": client,
            "url": url,
            "qr": qr_svg(url) if url else None,
            "token": token,
            "days": services.LINK_DAYS,
            "email": services.contact_for(client, Delivery.EMAIL),
            "mobile": services.contact_for(client, Delivery.SMS),
            "sms_enabled": sms.enabled(),
            "preview_language": languages.supported(client.preferred_language),
            "preview": services.link_message(
                administration.organisation,
                "…",
                timezone.now() + timedelta(days=services.LINK_DAYS),
                client.preferred_language,
            ).text,
        },
        status=status,
    )


@never_cache
@transaction.atomic
def public_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The client's questionnaire behind a single-use link: no sign-in, no other data.

    Shown a question at a time unless the client asks for one page. Once sent, the page
    shows the result of these answers in plain language, and nothing older."""
    link_ = services.link_for_token(token)
    if link_ is None:
        return render(request, "measures/link_gone.html", status=410)
    administration = link_.administration
    client = administration.client
    language = languages.supported(request.GET.get("lang") or client.preferred_language)

    def save(answers: dict[str, Any], submit: bool) -> services.SaveResult:
        return services.answer_through_link(
            token=token, answers=answers, submit=submit, **where_from(request)
        )

    def finished(result: services.SaveResult) -> HttpResponse:
        if not result.submitted:
            messages.success(
                request, _("Your answers are saved. You can continue later with the same link.")
            )
            return redirect(request.get_full_path())
        return render(
            request,
            "measures/thanks.html",
            {
                "title": administration.instrument.title,
                "employer": administration.instrument.definition.respondent == "employer",
                "own_result": selectors.own_result(result.administration),
            },
        )

    with translation.override(language):
        try:
            return _questionnaire(
                request,
                administration,
                save=save,
                template="measures/public_answer.html",
                one_at_a_time=True,
                finished=finished,
                plain=client.plain_language,
                language=language,
                shown=lambda: selectors.record_link_view(link_, **where_from(request)),
                more_context={"about": selectors.about_link(link_)},
            )
        except PermissionDenied:
            return render(request, "measures/link_gone.html", status=410)


@login_required
def groups(request: HttpRequest) -> HttpResponse:
    """Change in the groups the user's organisations serve: aggregates, never individuals."""
    page = selectors.groups_page(
        Actor.of(request),
        programme_code=request.GET.get("programme", ""),
        instrument_code=request.GET.get("instrument", ""),
        by=request.GET.get("by", ""),
    )
    return render(
        request,
        "measures/groups.html",
        {
            "results": page.results,
            "programmes": page.programmes,
            "instruments": page.instruments,
            "breakdown": page.breakdown,
        },
    )


# Instruments ------------------------------------------------------------------------------

# Where a new instrument starts in the editor: the smallest complete definition.
STARTER = json.dumps(
    {
        "code": "new-instrument",
        "version": "1.0",
        "title": {"fi": "Uusi mittari", "sv": "Ny mätare", "en": "New instrument"},
        "respondent": "client",
        "level": "individual",
        "licence": {"name": "Oma mittari", "source": "Oma", "item_texts_included": True},
        "scales": {"scale": {"min": 0, "max": 10}},
        "items": [
            {"code": "q1", "scale": "scale", "text": {"fi": "Kysymys 1", "sv": "Fråga 1"}},
        ],
        "scoring": {"method": "sum", "max_missing_share": 0},
        "higher_is_better": True,
    },
    ensure_ascii=False,
    indent=2,
)


@login_required
def instruments(request: HttpRequest) -> HttpResponse:
    form = ImportForm()
    problems: list[str] = []
    if request.method == "POST":
        _require_configuration(request)
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                text = form.cleaned_data["file"].read().decode("utf-8")
            except UnicodeDecodeError:
                problems = [_("The file is not UTF-8 JSON.")]
            else:
                problems = _import(request, text, source="import")
            if not problems:
                return redirect("measures:instruments")
    return render(
        request,
        "measures/instruments.html",
        {
            "versions": InstrumentVersion.objects.order_by("code", "-created_at"),
            "form": form,
            "problems": problems,
            "may_manage": decisions.may_manage_configuration(Actor.of(request)),
        },
    )


def _import(request: HttpRequest, text: str, *, source: str) -> list[str]:
    """Import a definition (Polku JSON or a FHIR Questionnaire) written in ``text``; on
    success say so and return no problems, else return every problem (nothing changed)."""
    try:
        data = json.loads(text)
        if isinstance(data, dict) and data.get("resourceType") == "Questionnaire":
            data, source = definition_to_data(questionnaire_to_definition(data)), "fhir"
        version = services.import_definition(data, source=source)
    except json.JSONDecodeError as error:
        return [
            _("The text is not valid JSON (line %(line)s, column %(column)s).")
            % {"line": error.lineno, "column": error.colno}
        ]
    except DefinitionError as error:
        return error.problems
    if version is None:
        messages.info(request, _("This version of the instrument was already in use."))
    else:
        messages.success(request, _("The instrument has been saved."))
    return []


def _instrument(code: str, version: str) -> InstrumentVersion:
    # Text from the address goes to the database only if it could be a code and version
    # (PostgreSQL answers a NUL character in a query with an error, not a miss).
    if not (CODE.fullmatch(code) and VERSION.fullmatch(version)):
        raise Http404
    instrument = InstrumentVersion.objects.filter(code=code, version=version).first()
    if instrument is None:
        raise Http404
    return instrument


def _require_configuration(request: HttpRequest) -> None:
    if not decisions.may_manage_configuration(Actor.of(request)):
        raise PermissionDenied


@login_required
@transaction.atomic
def instrument_wording(request: HttpRequest, code: str, version: str) -> HttpResponse:
    """An administrator enters a template's wording from the licensed source."""
    _require_configuration(request)
    instrument = _instrument(code, version)
    form = WordingForm(request.POST or None, instrument=instrument)
    if request.method == "POST" and form.is_valid():
        try:
            services.enter_item_texts(
                actor=Actor.of(request), instrument=instrument, texts=form.texts()
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            instrument.refresh_from_db()
            if instrument.answerable:
                messages.success(request, _("The wording has been saved. The instrument is ready."))
            else:
                messages.info(
                    request,
                    _("The wording has been saved. Items without wording still need it."),
                )
            return redirect("measures:instruments")
    return render(
        request,
        "measures/wording.html",
        {"instrument": instrument, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@transaction.atomic
def instrument_editor(request: HttpRequest) -> HttpResponse:
    """Define an instrument, or a new version of one, in the definition format.

    ``?from=<code>/<version>`` starts from an existing version."""
    _require_configuration(request)
    problems: list[str] = []
    initial = ""
    if request.method != "POST" and "/" in request.GET.get("from", ""):
        base = _instrument(*request.GET["from"].split("/", 1))
        initial = json.dumps(base.definition_data, ensure_ascii=False, indent=2)
    form = DefinitionForm(request.POST or None, initial={"definition": initial or STARTER})
    if request.method == "POST" and form.is_valid():
        problems = _import(request, form.cleaned_data["definition"], source="editor")
        if not problems:
            return redirect("measures:instruments")
    return render(
        request,
        "measures/editor.html",
        {"form": form, "problems": problems},
        status=400 if problems else 200,
    )


@login_required
@transaction.atomic
def schedules(request: HttpRequest) -> HttpResponse:
    """Which instruments each programme's episodes are due to answer, and when."""
    form = ScheduleForm(request.POST if "add" in request.POST else None)
    actor = Actor.of(request)
    refused = False
    if request.method == "POST":
        _require_configuration(request)
        if "remove" in request.POST:
            removal = RemoveScheduleForm(request.POST)
            if removal.is_valid():
                remove_schedule(actor=actor, schedule=removal.cleaned_data["remove"])
                messages.success(request, _("The measurement was removed from the schedule."))
                return redirect("measures:schedules")
            for error in removal.errors["remove"]:
                messages.error(request, str(error))
            refused = True
        elif form.is_valid():
            try:
                add_schedule(actor=actor, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The measurement was added to the schedule."))
                return redirect("measures:schedules")
    return render(
        request,
        "measures/schedules.html",
        {
            "programmes": selectors.schedules_by_programme(),
            "form": form,
            "may_manage": decisions.may_manage_configuration(Actor.of(request)),
        },
        status=400 if refused or form.errors else 200,
    )


@login_required
def instrument_fhir(request: HttpRequest, code: str, version: str) -> JsonResponse:
    instrument = _instrument(code, version)
    response = JsonResponse(
        definition_to_questionnaire(instrument.definition),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Content-Disposition"] = f'attachment; filename="{code}-{version}.json"'
    return response
