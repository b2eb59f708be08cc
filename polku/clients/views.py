"""The professional's client screens. Thin: forms validate, services and selectors decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from polku.accounts.models import User
from polku.audit.services import Origin
from polku.clients import selectors, services
from polku.clients.forms import (
    ClientDetailsForm,
    ConsentForm,
    IdentityCodeField,
    MergeForm,
    NewClientForm,
    RelationshipTermsForm,
    SearchForm,
)
from polku.clients.models import Client
from polku.core.forms import apply_errors
from polku.policy import decisions
from polku.policy.enums import Action
from polku.policy.models import Consent

ACCESS_LOG_PAGE_SIZE = 50
SUMMARY_LANGUAGES = ("fi", "sv", "en")


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _terms(form: RelationshipTermsForm) -> services.RelationshipTerms:
    data = form.cleaned_data
    return services.RelationshipTerms(
        organisation=data["organisation"],
        unit=data["unit"],
        register=data["register"],
        legal_basis=data["legal_basis"],
        started_on=data["started_on"],
    )


@login_required
@transaction.atomic
def search(request: HttpRequest) -> HttpResponse:
    """The search form posts what was typed, so that an identity code never stands in an
    address (browser history, proxies, server logs). A name or date also works as ``?q=``;
    an identity code there is refused and not searched."""
    if request.method == "POST":
        form = SearchForm(request.POST)
    else:
        form = SearchForm(request.GET or None, refuse_identity_codes=True)
    result = None
    start_form = None
    organisations = decisions.serving_organisations(_user(request))
    status = 400 if form.is_bound and not form.is_valid() else 200
    if form.is_valid() and form.cleaned_data["q"]:
        result = selectors.search_clients(Origin.of(request), form.cleaned_data["q"])
        if result.unrelated_person is not None and organisations:
            start_form = RelationshipTermsForm(organisations=organisations)
    return render(
        request,
        "clients/search.html",
        {
            "form": form,
            "result": result,
            "start_form": start_form,
            "may_register": bool(organisations),
        },
        status=status,
    )


@login_required
@require_POST
@transaction.atomic
def start_relationship(request: HttpRequest) -> HttpResponse:
    """Start a relationship with the person behind an identity code found by search."""
    organisations = decisions.serving_organisations(_user(request))
    form = RelationshipTermsForm(request.POST, organisations=organisations)
    try:
        code = IdentityCodeField().clean(request.POST.get("identity_code", ""))
    except ValidationError as error:
        raise Http404 from error
    if not form.is_valid():
        return render(
            request,
            "clients/start_relationship.html",
            {"start_form": form, "identity_code": code},
            status=400,
        )
    registration = services.start_relationship_by_identity_code(
        origin=Origin.of(request), identity_code=code, terms=_terms(form)
    )
    messages.success(request, _("The service relationship has started."))
    return redirect("clients:overview", public_id=registration.client.public_id)


@login_required
@transaction.atomic
def create(request: HttpRequest) -> HttpResponse:
    organisations = decisions.serving_organisations(_user(request))
    if not organisations:
        raise PermissionDenied(_("Your roles do not include work with clients."))
    form = NewClientForm(request.POST or None, initial={"preferred_language": "fi"})
    terms_form = RelationshipTermsForm(request.POST or None, organisations=organisations)
    duplicate_warning = False
    if request.method == "POST" and form.is_valid() and terms_form.is_valid():
        data = form.cleaned_data
        duplicate_warning = (
            not data["identity_code"]
            and not data["confirm_not_duplicate"]
            and selectors.possible_duplicates(
                Origin.of(request), data["first_names"], data["last_name"], data["birth_date"]
            )
        )
        if not duplicate_warning:
            details = {name: data[name] for name in services.CLIENT_DETAIL_FIELDS}
            for name in ("first_names", "last_name"):
                details.pop(name)
            try:
                registration = services.register_client(
                    origin=Origin.of(request),
                    terms=_terms(terms_form),
                    first_names=data["first_names"],
                    last_name=data["last_name"],
                    birth_date=data["birth_date"],
                    identity_code=data["identity_code"],
                    details=details,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                if registration.existing_person:
                    messages.info(
                        request,
                        _(
                            "This person was already known to Polku by the identity code. "
                            "Your organisation's service relationship is now attached to them."
                        ),
                    )
                else:
                    messages.success(request, _("The client has been registered."))
                return redirect("clients:overview", public_id=registration.client.public_id)
    return render(
        request,
        "clients/create.html",
        {"form": form, "terms_form": terms_form, "duplicate_warning": duplicate_warning},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@transaction.atomic
def overview(request: HttpRequest, public_id: str) -> HttpResponse:
    return render(
        request,
        "clients/overview.html",
        {"overview": selectors.client_overview(Origin.of(request), public_id)},
    )


@login_required
@transaction.atomic
def edit(request: HttpRequest, public_id: str) -> HttpResponse:
    origin = Origin.of(request)
    client, decision = selectors.get_visible_client(origin, public_id, action=Action.CHANGE)
    initial = {name: getattr(client, name) for name in services.CLIENT_DETAIL_FIELDS}
    form = ClientDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.update_client_details(origin=origin, client=client, changes=form.cleaned_data)
        messages.success(request, _("The client's details have been saved."))
        return redirect("clients:overview", public_id=client.public_id)
    selectors.record_view(origin, client, decision)
    return render(
        request,
        "clients/edit.html",
        {"form": form, "client": client},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@transaction.atomic
def consent_create(request: HttpRequest, public_id: str) -> HttpResponse:
    origin = Origin.of(request)
    client, decision = selectors.get_visible_client(origin, public_id, action=Action.CREATE)
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_consent(origin=origin, client=client, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The consent has been recorded."))
            return redirect("clients:overview", public_id=client.public_id)
    selectors.record_view(origin, client, decision)
    return render(
        request,
        "clients/consent_form.html",
        {"form": form, "client": client},
        status=400 if request.method == "POST" else 200,
    )


def _consent_of(
    origin: Origin, public_id: str, consent_id: str, action: Action
) -> tuple[Consent, decisions.Decision]:
    client, decision = selectors.get_visible_client(origin, public_id, action=action)
    consent = (
        Consent.objects.filter(client=client, public_id=consent_id)
        .select_related("client", "discloser", "recipient", "recorded_by_organisation")
        .first()
    )
    if consent is None:
        raise Http404
    return consent, decision


@login_required
@transaction.atomic
def consent_withdraw(request: HttpRequest, public_id: str, consent_id: str) -> HttpResponse:
    origin = Origin.of(request)
    consent, decision = _consent_of(origin, public_id, consent_id, Action.CHANGE)
    if request.method == "POST":
        services.withdraw_consent(origin=origin, consent=consent)
        messages.success(
            request, _("The consent has been withdrawn. It no longer allows anything.")
        )
        return redirect("clients:overview", public_id=public_id)
    selectors.record_view(origin, consent.client, decision)
    return render(request, "clients/consent_withdraw.html", {"consent": consent})


@login_required
@transaction.atomic
def consent_summary(request: HttpRequest, public_id: str, consent_id: str) -> HttpResponse:
    """A printable plain-language summary for the client, in the language they choose."""
    origin = Origin.of(request)
    consent, decision = _consent_of(origin, public_id, consent_id, Action.VIEW)
    selectors.record_view(origin, consent.client, decision)
    language = request.GET.get("lang") or consent.client.preferred_language
    if language not in SUMMARY_LANGUAGES:
        language = "fi"
    with translation.override(language):
        return render(
            request,
            "clients/consent_summary.html",
            {"consent": consent, "client": consent.client, "summary_language": language},
        )


@login_required
@transaction.atomic
def access_log(request: HttpRequest, public_id: str) -> HttpResponse:
    client, rows = selectors.client_access_log(Origin.of(request), public_id)
    page = Paginator(rows.select_related("organisation"), ACCESS_LOG_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "clients/access_log.html", {"client": client, "page": page})


@login_required
@transaction.atomic
def merge(request: HttpRequest) -> HttpResponse:
    """Administrators merge two records of the same person."""
    if not decisions.may_manage_configuration(_user(request)):
        raise PermissionDenied
    form = MergeForm(request.POST or None)
    records: list[Client] = []
    if request.method == "POST" and form.is_valid():
        ids = [form.cleaned_data["keep"], form.cleaned_data["duplicate"]]
        records = selectors.records_for_merge(Origin.of(request), ids)
        if len(records) < 2:
            form.add_error(None, _("No client record has one of these IDs."))
        elif form.cleaned_data["confirmed"]:
            try:
                kept = services.merge_clients(
                    origin=Origin.of(request), keep=records[0], duplicate=records[1]
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request, _("The records have been merged into %(name)s.") % {"name": kept}
                )
                return redirect("clients:merge")
    return render(request, "clients/merge.html", {"form": form, "records": records})
