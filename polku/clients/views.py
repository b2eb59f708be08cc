"""The professional's client screens. Thin: forms validate, services and selectors decide."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from polku.accounts.models import Organisation, User
from polku.audit import selectors as audit_selectors
from polku.clients import selectors, services
from polku.clients.access import access_consent, access_relationship
from polku.clients.forms import (
    AccessLogFilterForm,
    ClientDetailsForm,
    ConsentForm,
    EndRelationshipForm,
    MergeForm,
    NewClientForm,
    RecordConsentAgainForm,
    RelationshipTermsForm,
    SearchForm,
    WithdrawConsentForm,
)
from polku.clients.models import Client
from polku.core import languages
from polku.core.confirmation import confirm_then_act
from polku.core.corrections import CORRECTION_DAYS
from polku.core.forms import CorrectionForm, apply_errors
from polku.core.views import problem
from polku.policy import decisions
from polku.policy.actors import Actor, serves
from polku.policy.enums import Action, Purpose, RelationshipEndReason, WithdrawalMethod


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
@serves(Purpose.SERVICE_COORDINATION)
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
    actor = Actor.of(request)
    organisations = decisions.serving_organisations(actor)
    status = 400 if form.is_bound and not form.is_valid() else 200
    if form.is_valid() and form.cleaned_data["q"]:
        query = form.cleaned_data["q"]
        try:
            # A lookup by identity code is made for the organisation the actor acts for.
            result = selectors.search_clients(actor, query)
        except PermissionDenied as refusal:
            result, status = selectors.SearchResult(query=query, error=str(refusal)), 403
        except ValidationError as error:
            message = " ".join(error.messages)
            result, status = selectors.SearchResult(query=query, error=message), 400
        except selectors.LookupLimitReached as limit:
            result, status = selectors.SearchResult(query=query, error=str(limit)), 429
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
@serves(Purpose.SERVICE_COORDINATION)
@require_POST
@transaction.atomic
def start_relationship(request: HttpRequest) -> HttpResponse:
    """Start a relationship with the person that the user's own lookup just found."""
    actor = Actor.of(request)
    token = request.POST.get("lookup", "")
    try:
        person = selectors.looked_up_person(actor, token)
    except selectors.LookupExpired:
        messages.error(request, _("The search is more than 15 minutes old. Search again."))
        return redirect("clients:search")
    form = RelationshipTermsForm(request.POST, organisations=decisions.serving_organisations(actor))
    if not form.is_valid():
        return render(
            request,
            "clients/start_relationship.html",
            {"start_form": form, "lookup_token": token},
            status=400,
        )
    registration = services.start_relationship(actor=actor, client=person, terms=_terms(form))
    messages.success(request, _("The service relationship has started."))
    return redirect("clients:overview", public_id=registration.client.public_id)


def _possible_duplicates(
    request: HttpRequest, form: NewClientForm, data: dict[str, Any], organisation: Organisation
) -> bool | None:
    """Whether the person may be registered already; None (with the reason on the form)
    when the user has made as many lookups as an hour allows."""
    try:
        return selectors.possible_duplicates(
            Actor.of(request),
            data["first_names"],
            data["last_name"],
            data["birth_date"],
            organisation=organisation,
        )
    except selectors.LookupLimitReached as limit:
        form.add_error(None, str(limit))
        return None


@login_required
@serves(Purpose.SERVICE_COORDINATION)
@transaction.atomic
def create(request: HttpRequest) -> HttpResponse:
    organisations = decisions.serving_organisations(Actor.of(request))
    if not organisations:
        raise PermissionDenied(_("Your roles do not include work with clients."))
    form = NewClientForm(request.POST or None, initial={"preferred_language": "fi"})
    terms_form = RelationshipTermsForm(request.POST or None, organisations=organisations)
    duplicate_warning: bool | None = False
    if request.method == "POST" and form.is_valid() and terms_form.is_valid():
        data = form.cleaned_data
        duplicate_warning = (
            not data["identity_code"]
            and not data["confirm_not_duplicate"]
            and _possible_duplicates(request, form, data, terms_form.cleaned_data["organisation"])
        )
        if duplicate_warning is None:
            return render(
                request,
                "clients/create.html",
                {"form": form, "terms_form": terms_form, "duplicate_warning": False},
                status=429,
            )
        if not duplicate_warning:
            details = {name: data[name] for name in services.CLIENT_DETAIL_FIELDS}
            for name in ("first_names", "last_name"):
                details.pop(name)
            try:
                registration = services.register_client(
                    actor=Actor.of(request),
                    terms=_terms(terms_form),
                    first_names=data["first_names"],
                    last_name=data["last_name"],
                    birth_date=data["birth_date"],
                    identity_code=data["identity_code"],
                    details=details,
                    non_disclosure=data["non_disclosure"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            except selectors.LookupLimitReached as limit:
                form.add_error(None, str(limit))
                return render(
                    request,
                    "clients/create.html",
                    {"form": form, "terms_form": terms_form, "duplicate_warning": False},
                    status=429,
                )
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
@serves(Purpose.SERVICE_COORDINATION)
@transaction.atomic
def overview(request: HttpRequest, public_id: str) -> HttpResponse:
    return render(
        request,
        "clients/overview.html",
        {"overview": selectors.client_overview(Actor.of(request), public_id)},
    )


@login_required
@serves(Purpose.SERVICE_COORDINATION)
@transaction.atomic
def edit(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = Actor.of(request)
    client, decision = selectors.get_visible_client(actor, public_id, action=Action.CHANGE)
    initial = {name: getattr(client, name) for name in services.CLIENT_DETAIL_FIELDS}
    form = ClientDetailsForm(
        request.POST or None, initial=initial, address_withheld=client.address_withheld
    )
    if request.method == "POST" and form.is_valid():
        services.update_client_details(actor=actor, client=client, changes=form.cleaned_data)
        messages.success(request, _("The client's details have been saved."))
        return redirect("clients:overview", public_id=client.public_id)
    selectors.record_view(actor, client, decision)
    return render(
        request,
        "clients/edit.html",
        {"form": form, "client": client},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@serves(Purpose.SERVICE_COORDINATION)
@transaction.atomic
def non_disclosure(request: HttpRequest, public_id: str) -> HttpResponse:
    """Set or lift the client's non-disclosure for personal safety (turvakielto)."""
    actor = Actor.of(request)
    client, decision = selectors.get_visible_client(actor, public_id, action=Action.CHANGE)
    back = reverse("clients:overview", kwargs={"public_id": client.public_id})
    if request.method == "POST":
        change = {"set": services.set_non_disclosure, "lift": services.lift_non_disclosure}
        act = change.get(request.POST.get("act", ""))
        if act is None:
            return problem(
                request, _("Choose whether to set or lift the non-disclosure."), back_url=back
            )
        try:
            act(actor=actor, client=client)
        except ValidationError as error:
            return problem(request, " ".join(error.messages), status=409, back_url=back)
        if request.POST["act"] == "set":
            messages.success(
                request,
                _(
                    "The non-disclosure for personal safety is in force: only your "
                    "organisation sees the client's address and municipality."
                ),
            )
        else:
            messages.success(request, _("The non-disclosure for personal safety was lifted."))
        return redirect("clients:overview", public_id=client.public_id)
    selectors.record_view(actor, client, decision)
    return render(
        request,
        "clients/non_disclosure.html",
        {"client": client, "may_lift": decisions.may_lift_non_disclosure(actor, client)},
    )


@login_required
@serves(Purpose.SERVICE_COORDINATION)
@transaction.atomic
def consent_create(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = Actor.of(request)
    client, decision = selectors.get_visible_client(actor, public_id, action=Action.CREATE)
    form = ConsentForm(request.POST or None, initial={"discloser": actor.organisation})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_consent(actor=actor, client=client, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The consent has been recorded."))
            return redirect("clients:overview", public_id=client.public_id)
    selectors.record_view(actor, client, decision)
    return render(
        request,
        "clients/consent_form.html",
        {"form": form, "client": client},
        status=400 if request.method == "POST" else 200,
    )


def _overview_url(public_id: str) -> str:
    return reverse("clients:overview", kwargs={"public_id": public_id})


@login_required
@serves(Purpose.SERVICE_COORDINATION)
@transaction.atomic
def consent_withdraw(request: HttpRequest, public_id: str, consent_id: str) -> HttpResponse:
    """Withdrawing a consent: how the client made it known, chosen on purpose, then a page
    that says what will follow, then the withdrawal (``core.confirmation``)."""
    actor = Actor.of(request)
    consent, decision = access_consent(actor, public_id, consent_id, action=Action.CHANGE)
    back_url = _overview_url(public_id)
    if consent.withdrawn_at is not None:
        return problem(
            request, _("This consent has already been withdrawn."), status=409, back_url=back_url
        )
    form = WithdrawConsentForm(request.POST or None)

    def perform(data: dict[str, Any]) -> HttpResponse:
        services.withdraw_consent(actor=actor, consent=consent, **data)
        messages.success(
            request, _("The consent has been withdrawn. It no longer allows anything.")
        )
        return redirect(back_url)

    return confirm_then_act(
        request,
        form=form,
        act="withdraw_consent",
        subject=str(consent.public_id),
        template="clients/consent_withdraw.html",
        context={"consent": consent, "client": consent.client},
        log_view=lambda: selectors.record_view(actor, consent.client, decision),
        check=lambda data: services.check_withdraw_consent(consent, **data),
        consequences=lambda data: {
            "withdrawal_method": WithdrawalMethod(data["withdrawal_method"]).label,
            "withdrawing": selectors.withdrawing_consent(actor, consent),
        },
        perform=perform,
        back_url=back_url,
    )


@login_required
@serves(Purpose.SERVICE_COORDINATION)
@transaction.atomic
def consent_record_again(request: HttpRequest, public_id: str, consent_id: str) -> HttpResponse:
    """Recording a withdrawn consent again, with the client, as a new consent that names
    the withdrawn one: a withdrawal is never undone."""
    actor = Actor.of(request)
    consent, decision = access_consent(actor, public_id, consent_id, action=Action.CHANGE)
    back_url = _overview_url(public_id)
    try:
        services.check_record_consent_again(consent)
    except ValidationError as error:
        return problem(request, " ".join(error.messages), status=409, back_url=back_url)
    still_valid = consent.valid_until and consent.valid_until >= timezone.localdate()
    form = RecordConsentAgainForm(
        request.POST or None, initial={"valid_until": consent.valid_until if still_valid else None}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_consent_again(actor=actor, consent=consent, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The consent has been recorded again."))
            return redirect(back_url)
    selectors.record_view(actor, consent.client, decision)
    return render(
        request,
        "clients/consent_record_again.html",
        {"consent": consent, "client": consent.client, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@serves(Purpose.SERVICE_COORDINATION)
@transaction.atomic
def relationship(request: HttpRequest, public_id: str, relationship_id: str) -> HttpResponse:
    """A service relationship for its own organisation: its period, its end and the
    corrections of it; a relationship ended by mistake is restored here, with a reason."""
    actor = Actor.of(request)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST":
        found, _decision = access_relationship(
            actor, public_id, relationship_id, action=Action.CHANGE
        )
        if form.is_valid():
            try:
                services.restore_relationship(
                    actor=actor, relationship=found, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The service relationship has been restored."))
                return redirect(_overview_url(public_id))
    page = selectors.relationship_page(actor, public_id, relationship_id)
    return render(
        request,
        "clients/relationship.html",
        {"page": page, "client": page.relationship.client, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@serves(Purpose.SERVICE_COORDINATION)
@transaction.atomic
def relationship_end(request: HttpRequest, public_id: str, relationship_id: str) -> HttpResponse:
    """Ending the organisation's service relationship: the reason chosen on purpose, then a
    page that says what will follow, then the end (``core.confirmation``)."""
    actor = Actor.of(request)
    found, decision = access_relationship(actor, public_id, relationship_id, action=Action.CHANGE)
    page_url = reverse(
        "clients:relationship",
        kwargs={"public_id": public_id, "relationship_id": found.public_id},
    )
    if found.ended_on is not None:
        return problem(
            request,
            _("This service relationship has already ended."),
            status=409,
            back_url=page_url,
        )
    form = EndRelationshipForm(request.POST or None)

    def perform(data: dict[str, Any]) -> HttpResponse:
        services.end_relationship(actor=actor, relationship=found, **data)
        messages.success(request, _("The service relationship has ended."))
        return redirect(page_url)

    return confirm_then_act(
        request,
        form=form,
        act="end_relationship",
        subject=str(found.public_id),
        template="clients/relationship_end.html",
        context={"relationship": found, "client": found.client},
        log_view=lambda: selectors.record_view(actor, found.client, decision),
        check=lambda data: services.check_end_relationship(found, **data),
        consequences=lambda data: {
            "end_reason": RelationshipEndReason(data["end_reason"]).label,
            "ended_on": data["ended_on"] or timezone.localdate(),
            "ending": selectors.ending_relationship(actor, found),
            "correction_days": CORRECTION_DAYS,
        },
        perform=perform,
        back_url=page_url,
    )


@login_required
@serves(Purpose.SERVICE_COORDINATION)
@transaction.atomic
def consent_summary(request: HttpRequest, public_id: str, consent_id: str) -> HttpResponse:
    """A printable plain-language summary for the client, in the language they choose."""
    actor = Actor.of(request)
    consent, decision = access_consent(actor, public_id, consent_id)
    selectors.record_view(actor, consent.client, decision)
    language = languages.supported(request.GET.get("lang") or consent.client.preferred_language)
    # The page speaks the reader's language; only the summary itself is in the client's.
    return render(
        request,
        "clients/consent_summary.html",
        {
            "consent": consent,
            "client": consent.client,
            "summary_language": language,
            "disclosers": decisions.consent_disclosers(actor, consent),
        },
    )


@login_required
@serves(Purpose.SERVICE_COORDINATION)
@transaction.atomic
def access_log(request: HttpRequest, public_id: str) -> HttpResponse:
    """The client's access log as the policy shows it to the user, filtered and paged."""
    log = selectors.client_access_log(Actor.of(request), public_id)
    form = AccessLogFilterForm(request.GET, organisations=log.organisations)
    context: dict[str, Any] = {"client": log.client, "form": form, "page": None}
    if not form.is_valid():
        return render(request, "clients/access_log.html", context, status=400)
    data = form.cleaned_data
    page = audit_selectors.page(
        audit_selectors.filtered(log.rows, form.log_filter()),
        before=data["before"],
        after=data["after"],
    )
    context.update(
        page=page,
        export_query=form.query(),
        older_query=form.query(before=page.older_than) if page.older_than else "",
        newer_query=form.query(after=page.newer_than) if page.newer_than else "",
    )
    return render(request, "clients/access_log.html", context)


@login_required
@serves(Purpose.SERVICE_COORDINATION)
@transaction.atomic
def access_log_export(request: HttpRequest, public_id: str) -> HttpResponse:
    """The filtered access log as a CSV file; the export is logged."""
    actor = Actor.of(request)
    log = selectors.client_access_log(actor, public_id, action=Action.EXPORT)
    form = AccessLogFilterForm(request.GET, organisations=log.organisations)
    if not form.is_valid():
        errors = " ".join(str(error) for errors in form.errors.values() for error in errors)
        back = reverse("clients:access_log", kwargs={"public_id": log.client.public_id})
        return problem(request, errors, back_url=back)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="access-log.csv"'
    selectors.export_access_log(actor, log, form.log_filter(), response)
    return response


@login_required
@serves(Purpose.REGISTER_MAINTENANCE)
@transaction.atomic
def merge(request: HttpRequest) -> HttpResponse:
    """Administrators merge two records of the same person."""
    if not decisions.may_manage_configuration(Actor.of(request)):
        raise PermissionDenied
    form = MergeForm(request.POST or None)
    records: list[Client] = []
    if request.method == "POST" and form.is_valid():
        ids = [form.cleaned_data["keep"], form.cleaned_data["duplicate"]]
        records = selectors.records_for_merge(Actor.of(request), ids)
        if len(records) < 2:
            form.add_error(None, _("No client record has one of these IDs."))
        elif form.cleaned_data["confirmed"]:
            try:
                kept = services.merge_clients(
                    actor=Actor.of(request), keep=records[0], duplicate=records[1]
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request, _("The records have been merged into %(name)s.") % {"name": kept}
                )
                return redirect("clients:merge")
    return render(request, "clients/merge.html", {"form": form, "records": records})
