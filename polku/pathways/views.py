"""Pathway screens: worklist, the client's pathway, episodes, plans, referrals, journal."""

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
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from polku.accounts.models import Organisation, User
from polku.clients.selectors import get_visible_client, record_view
from polku.core import panels
from polku.core.confirmation import confirm_then_act
from polku.core.corrections import CORRECTION_DAYS
from polku.core.forms import CorrectionForm, apply_errors
from polku.core.views import problem
from polku.pathways import access, home, selectors, services
from polku.pathways.enums import AWAITING_ANSWER, DeclineGround, EndReason, ReferralStatus
from polku.pathways.forms import (
    LEVEL_FIELDS,
    TEAM_SEARCH_FIELDS,
    AcceptReferralForm,
    DeclineReferralForm,
    EndEpisodeForm,
    EpisodeForm,
    HandoverForm,
    JournalEntryForm,
    PersonForm,
    PhaseForm,
    PlanForm,
    ReferralForm,
    RemoveTeamMemberForm,
    ReviewForm,
    TeamMemberForm,
    TeamSearchForm,
)
from polku.pathways.models import Episode, Plan
from polku.policy import decisions
from polku.policy.actors import Actor, serves
from polku.policy.enums import Action, DataCategory, Purpose


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _to_pathway(episode: Episode) -> HttpResponse:
    return redirect("pathways:client_pathway", public_id=episode.client.public_id)


@login_required
@serves(Purpose.SERVICE_COORDINATION)
@transaction.atomic
def worklist(request: HttpRequest) -> HttpResponse:
    """The home page: the worklist for client work, and for project managers, analysts and
    administrators what they do in Polku (``home``)."""
    user = _user(request)
    actor = Actor.of(request)
    sections = home.home_sections(actor)
    context: dict[str, Any] = {
        "memberships": user.active_memberships().select_related(
            "organisation__municipality", "unit"
        ),
        "sections": sections,
        "may_work_with_clients": home.CLIENT_WORK in sections,
    }
    if home.CLIENT_WORK in sections:
        context["worklist"] = selectors.worklist(actor)
        context["panels"] = panels.panels("worklist", actor=actor)
    if home.ADMINISTRATOR in sections:
        context["administration"] = home.administration_overview()
    # Panels for anyone, whatever their work (a higher layer's "Your projects").
    context["home_panels"] = panels.panels("home", actor=actor)
    return render(request, "pathways/worklist.html", context)


@login_required
@serves(Purpose.SERVICE_COORDINATION)
@require_POST
@transaction.atomic
def plan_action_done(request: HttpRequest, public_id: str) -> HttpResponse:
    """Mark an action of the episode's plan done (``done=yes``) or, to undo a mistake, not
    done (``done=no``); back to the worklist or the episode page."""
    actor = Actor.of(request)
    episode_obj, _decision = selectors.get_episode(actor, public_id, action=Action.CHANGE)
    if request.POST.get("back") == "home":
        back = redirect("home")
    else:
        back = redirect("pathways:episode", public_id=episode_obj.public_id)
    action = selectors.plan_action_of(episode_obj, request.POST.get("action", ""))
    if action is None:
        messages.error(
            request,
            _("The action is no longer in the plan: the plan was changed after you opened it."),
        )
        return back
    done = request.POST.get("done") != "no"
    try:
        if done:
            services.complete_plan_action(actor=actor, action=action)
        else:
            services.reopen_plan_action(actor=actor, action=action)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The action is marked done.") if done else _("The action is open again.")
        )
    return back


@login_required
@serves(Purpose.SERVICE_COORDINATION)
@transaction.atomic
def client_pathway(request: HttpRequest, public_id: str) -> HttpResponse:
    pathway = selectors.client_pathway(Actor.of(request), public_id)
    return render(request, "pathways/client_pathway.html", {"pathway": pathway})


def _client_action(
    request: HttpRequest,
    public_id: str,
    *,
    form_class: Any,
    act: Any,
    done_message: str,
    done: Any,
    template: str,
) -> HttpResponse:
    """A form that acts for one client on behalf of one of the user's organisations:
    validate, call the service, and otherwise show the form (logging the look)."""
    actor = Actor.of(request)
    client, decision = get_visible_client(actor, public_id, action=Action.CREATE)
    form = form_class(request.POST or None, organisations=decisions.serving_organisations(actor))
    if request.method == "POST" and form.is_valid():
        try:
            result = act(actor=actor, client=client, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, done_message)
            return done(result)
    record_view(actor, client, decision, [DataCategory.BASIC])
    return render(
        request,
        template,
        {"form": form, "client": client},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@serves(Purpose.SERVICE_COORDINATION)
@transaction.atomic
def open_episode(request: HttpRequest, public_id: str) -> HttpResponse:
    return _client_action(
        request,
        public_id,
        form_class=EpisodeForm,
        act=services.open_episode,
        done_message=_("The episode has started."),
        done=lambda episode: redirect("pathways:episode", public_id=episode.public_id),
        template="pathways/episode_form.html",
    )


def _episode_forms(episode: Episode, data: Any = None, prefix: str = "") -> dict[str, Any]:
    org_ids = [episode.organisation_id]

    def bound(name: str) -> Any:
        return data if prefix == name else None

    return {
        "phase_form": PhaseForm(
            bound("phase"),
            programme=episode.programme,
            current_phase=selectors.current_phase(episode),
            prefix="phase",
        ),
        "assign_form": PersonForm(bound("assign"), organisation_ids=org_ids, prefix="assign"),
        "handover_form": HandoverForm(
            bound("handover"), organisation_ids=org_ids, prefix="handover"
        ),
    }


@login_required
@serves(Purpose.SERVICE_COORDINATION)
@transaction.atomic
def episode(request: HttpRequest, public_id: str) -> HttpResponse:
    """The episode page; each form on it posts back here with its own prefix."""
    actor = Actor.of(request)
    action = request.POST.get("form", "") if request.method == "POST" else ""
    forms = _episode_forms(selectors.get_episode(actor, public_id)[0], request.POST or None, action)
    if action:
        episode_obj, _decision = selectors.get_episode(actor, public_id, action=Action.CHANGE)
        form = forms.get(f"{action}_form")
        if form is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "phase":
                    services.change_phase(actor=actor, episode=episode_obj, **data)
                    messages.success(request, _("The phase has been changed."))
                elif action == "assign":
                    services.assign_case_manager(
                        actor=actor, episode=episode_obj, user=data["user"]
                    )
                    messages.success(request, _("The case manager has been named."))
                elif action == "handover":
                    services.propose_handover(
                        actor=actor, episode=episode_obj, to_user=data["user"], note=data["note"]
                    )
                    messages.success(
                        request,
                        _("Handover proposed. You stay responsible until it is accepted."),
                    )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                return redirect("pathways:episode", public_id=public_id)
    view = selectors.episode_view(actor, public_id)
    return render(
        request,
        "pathways/episode.html",
        {
            "view": view,
            "episode": view.episode,
            "client": view.episode.client,
            "end_form": EndEpisodeForm(prefix=END),
            **forms,
        },
        status=400 if action else 200,
    )


def _team_page(
    request: HttpRequest,
    actor: Actor,
    public_id: str,
    *,
    search_data: Any = None,
    failed_form: TeamMemberForm | RemoveTeamMemberForm | None = None,
) -> HttpResponse:
    """The team page, with the search's matches when a search was made, and the form that
    failed, if one did (then with status 400)."""
    page = selectors.team_page(actor, public_id, searching=search_data is not None)
    search_form = TeamSearchForm(search_data, organisations=page.organisations)
    search = None
    if search_form.is_bound and search_form.is_valid():
        criteria = search_form.criteria()
        if criteria is not None:
            search = selectors.search_team_candidates(page, **criteria)
    failed = failed_form is not None or bool(search_form.errors)
    return render(
        request,
        "pathways/team.html",
        {
            "page": page,
            "episode": page.episode,
            "client": page.episode.client,
            "search_form": search_form,
            "search": search,
            "failed_form": failed_form,
        },
        status=400 if failed else 200,
    )


END = "end"


@login_required
@serves(Purpose.SERVICE_COORDINATION)
@transaction.atomic
def episode_end(request: HttpRequest, public_id: str) -> HttpResponse:
    """Ending an episode: the reason chosen on purpose, then a page that says what will
    follow, then the end (``core.confirmation``)."""
    actor = Actor.of(request)
    episode_obj, decision = selectors.get_episode(actor, public_id, action=Action.CHANGE)
    back_url = reverse("pathways:episode", kwargs={"public_id": episode_obj.public_id})
    if not episode_obj.is_active:
        return problem(request, _("The episode has ended."), status=409, back_url=back_url)
    form = EndEpisodeForm(request.POST or None, prefix=END)

    def perform(data: dict[str, Any]) -> HttpResponse:
        services.end_episode(actor=actor, episode=episode_obj, **data)
        messages.success(request, _("The episode has ended."))
        return _to_pathway(episode_obj)

    return confirm_then_act(
        request,
        form=form,
        act="end_episode",
        subject=str(episode_obj.public_id),
        template="pathways/episode_end.html",
        context={"episode": episode_obj, "client": episode_obj.client},
        log_view=lambda: record_view(actor, episode_obj.client, decision, [DataCategory.PLAN]),
        check=lambda data: services.check_end_episode(episode_obj, **data),
        consequences=lambda data: {
            "end_reason": EndReason(data["end_reason"]).label,
            "ended_on": data["ended_on"] or timezone.localdate(),
            "ending": selectors.ending_episode(actor, episode_obj),
            "correction_days": CORRECTION_DAYS,
        },
        perform=perform,
        back_url=back_url,
    )


@login_required
@serves(Purpose.SERVICE_COORDINATION)
@transaction.atomic
def episode_reopen(request: HttpRequest, public_id: str) -> HttpResponse:
    """Reopening an episode ended by mistake, with the reason; the end stays in the
    history beside the reopening."""
    actor = Actor.of(request)
    episode_obj, decision = selectors.get_episode(actor, public_id, action=Action.CHANGE)
    back_url = reverse("pathways:episode", kwargs={"public_id": episode_obj.public_id})
    try:
        services.check_reopen_episode(episode_obj)
    except ValidationError as error:
        return problem(request, " ".join(error.messages), status=409, back_url=back_url)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reopen_episode(
                actor=actor, episode=episode_obj, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The episode has been reopened."))
            return redirect(back_url)
    record_view(actor, episode_obj.client, decision, [DataCategory.PLAN])
    return render(
        request,
        "pathways/episode_reopen.html",
        {"form": form, "episode": episode_obj, "client": episode_obj.client},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@serves(Purpose.SERVICE_COORDINATION)
@transaction.atomic
def team(request: HttpRequest, public_id: str) -> HttpResponse:
    """The client's team for one episode: members with their contact details, a search for
    new members (a GET form, no JavaScript needed) with an add button on each match, and
    removal with an end date."""
    actor = Actor.of(request)
    if request.method != "POST":
        searching = any(name in request.GET for name in TEAM_SEARCH_FIELDS)
        return _team_page(request, actor, public_id, search_data=request.GET if searching else None)
    action = request.POST.get("form", "")
    episode_obj, _decision = selectors.get_episode(actor, public_id, action=Action.CHANGE)
    # The search the add button was pressed on, to show again when adding fails.
    search_data = (
        request.POST if any(request.POST.get(name) for name in TEAM_SEARCH_FIELDS) else None
    )
    if action == "add":
        add_form = TeamMemberForm(request.POST)
        if add_form.is_valid():
            try:
                member = services.add_team_member(
                    actor=actor, episode=episode_obj, **add_form.cleaned_data
                )
            except ValidationError as error:
                apply_errors(add_form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s has been added to the team.") % {"name": member.user},
                )
                return redirect("pathways:team", public_id=public_id)
        return _team_page(request, actor, public_id, search_data=search_data, failed_form=add_form)
    if action == "remove":
        remove_form = RemoveTeamMemberForm(request.POST)
        if remove_form.is_valid():
            member, _decision = access.access_team_member(
                actor, public_id, remove_form.cleaned_data["member"], action=Action.CHANGE
            )
            try:
                services.remove_team_member(
                    actor=actor, member=member, ended_on=remove_form.cleaned_data["ended_on"]
                )
            except ValidationError as error:
                apply_errors(remove_form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s has left the team.") % {"name": member.user},
                )
                return redirect("pathways:team", public_id=public_id)
        return _team_page(request, actor, public_id, failed_form=remove_form)
    raise Http404


@login_required
@serves(Purpose.SERVICE_COORDINATION)
@require_POST
@transaction.atomic
def answer_handover(request: HttpRequest, handover_id: int) -> HttpResponse:
    actor = Actor.of(request)
    handover, _decision = access.access_handover(actor, handover_id, action=Action.CHANGE)
    accept = request.POST.get("answer") == "accept"
    try:
        services.answer_handover(actor=actor, handover=handover, accept=accept)
    except ValidationError as error:
        return problem(
            request,
            " ".join(error.messages),
            status=409,
            back_url=reverse("pathways:episode", kwargs={"public_id": handover.episode.public_id}),
        )
    messages.success(
        request, _("You are now the case manager.") if accept else _("You declined the handover.")
    )
    return redirect("pathways:episode", public_id=handover.episode.public_id)


def _owner_choices(episode: Episode) -> list[tuple[str, str]]:
    choices = [("client", _("The client"))]
    people = {m.user for m in episode.team.select_related("user") if m.ended_on is None}
    people |= {
        a.user
        for a in episode.case_manager_assignments.select_related("user")
        if a.ended_at is None
    }
    choices += [(f"user:{user.pk}", str(user)) for user in sorted(people, key=str)]
    organisations = {
        episode.organisation,
        *(m.organisation for m in episode.team.select_related("organisation")),
    }
    choices += [
        (f"organisation:{org.pk}", org.localized_name) for org in sorted(organisations, key=str)
    ]
    return choices


def _plan_initial(plan: Plan | None) -> dict[str, Any]:
    """The plan form's starting values: the plan's fields, and every goal and action; an
    action names its goal by the goal's row."""
    if plan is None:
        return {}
    fields = {name: getattr(plan, name) for name in PLAN_FIELDS if name != "change_note"}
    goals = plan.current_goals()
    rows = {goal.pk: str(row) for row, goal in enumerate(goals)}
    goal_rows = [
        {
            "id": goal.pk,
            "text": goal.text,
            "baseline": goal.baseline,
            "baseline_level": goal.baseline_level,
            **{name: getattr(goal, name) for name in LEVEL_FIELDS},
            "importance": goal.importance,
            "difficulty": goal.difficulty,
        }
        for goal in goals
    ]
    actions = [
        {
            "id": action.pk,
            "done_shown": action.done_on,
            "text": action.text,
            "owner": "client"
            if action.owner_is_client
            else f"user:{action.owner_user_id}"
            if action.owner_user_id
            else f"organisation:{action.owner_organisation_id}"
            if action.owner_organisation_id
            else "",
            "due": action.due_on,
            "done": action.done_on,
            "goal": rows.get(action.goal_id or 0, ""),
        }
        for action in plan.actions.order_by("pk")
    ]
    return {"initial": fields, "goals": goal_rows, "actions": actions}


def _goal_inputs(form: PlanForm) -> list[services.GoalInput]:
    return [
        services.GoalInput(
            text=row.cleaned_data["text"],
            baseline=row.cleaned_data["baseline"],
            baseline_level=row.cleaned_data["baseline_level"],
            levels=row.levels(),
            importance=row.cleaned_data["importance"],
            difficulty=row.cleaned_data["difficulty"],
            goal_id=row.cleaned_data["id"],
        )
        for row in form.goals()
    ]


def _action_inputs(form: PlanForm) -> list[services.ActionInput]:
    """The plan form's action rows, each with its goal's place among the goals kept."""
    rows = [(row, *(row["owner"] or "").partition(":")[::2]) for row in form.actions()]
    users = User.objects.in_bulk([pk for _row, kind, pk in rows if kind == "user"])
    organisations = Organisation.objects.in_bulk(
        [pk for _row, kind, pk in rows if kind == "organisation"]
    )
    return [
        services.ActionInput(
            text=row["text"],
            goal_position=row["goal_position"],
            owner_is_client=kind == "client",
            owner_user=users.get(int(pk)) if kind == "user" else None,
            owner_organisation=organisations.get(int(pk)) if kind == "organisation" else None,
            due_on=row["due"],
            done_on=row["done"],
            action_id=row["id"],
            done_shown=row["done_shown"],
        )
        for row, kind, pk in rows
    ]


def _plan_page(
    request: HttpRequest,
    public_id: str,
    *,
    make_form: Callable[[Episode, Plan | None], Any],
    act: Callable[[Actor, Episode, Plan | None, Any], object],
    done_message: str,
    template: str,
    needs_plan: bool = False,
    with_reviews: bool = False,
) -> HttpResponse:
    """A form on an episode's plan: check the policy, act through a service, or show the
    form again (with its errors, or with a row added) logging the look."""
    actor = Actor.of(request)
    episode_obj, decision = selectors.get_episode(actor, public_id, action=Action.CHANGE)
    plan = selectors.plan_of(episode_obj, with_contents=True)
    if needs_plan and plan is None:
        raise Http404
    form = make_form(episode_obj, plan)
    adding = getattr(form, "adding", False)
    if request.method == "POST" and not adding and form.is_valid():
        try:
            act(actor, episode_obj, plan, form)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, done_message)
            return redirect("pathways:episode", public_id=public_id)
    record_view(actor, episode_obj.client, decision, [DataCategory.PLAN])
    context = {"form": form, "episode": episode_obj, "client": episode_obj.client, "plan": plan}
    if with_reviews and plan is not None:
        context["reviews"] = selectors.reviews_of(plan)
    return render(
        request,
        template,
        context,
        status=400 if request.method == "POST" and not adding else 200,
    )


PLAN_FIELDS = (
    "helping_factors",
    "hindering_factors",
    "services",
    "working_methods",
    "next_review_on",
    "client_agreed_on",
    "change_note",
)


def _save_plan(actor: Actor, episode: Episode, plan: Plan | None, form: PlanForm) -> object:
    data = form.cleaned_data
    return services.save_plan(
        actor=actor,
        episode=episode,
        goals=_goal_inputs(form),
        actions=_action_inputs(form),
        **{name: data[name] for name in PLAN_FIELDS},
    )


def _review_plan(actor: Actor, episode: Episode, plan: Plan | None, form: ReviewForm) -> object:
    assert plan is not None
    data = form.cleaned_data
    return services.review_plan(
        actor=actor,
        plan=plan,
        attainments=form.attainments(),
        reviewed_on=data["reviewed_on"],
        note=data["note"],
        requested_by_client=data["requested_by_client"],
        next_review_on=data["next_review_on"],
    )


@login_required
@serves(Purpose.SERVICE_COORDINATION)
@transaction.atomic
def plan_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    """The plan form; its "add a goal" and "add an action" buttons show it again with one
    more row, saving nothing (scripts add the row in place instead)."""
    return _plan_page(
        request,
        public_id,
        make_form=lambda episode, plan: PlanForm(
            request.POST or None,
            owner_choices=_owner_choices(episode),
            add=request.POST.get("add"),
            **_plan_initial(plan),
        ),
        act=_save_plan,
        done_message=_("The plan has been saved as a new version."),
        template="pathways/plan_form.html",
    )


@login_required
@serves(Purpose.SERVICE_COORDINATION)
@transaction.atomic
def plan_review(request: HttpRequest, public_id: str) -> HttpResponse:
    return _plan_page(
        request,
        public_id,
        make_form=lambda episode, plan: ReviewForm(
            request.POST or None, goals=plan.current_goals() if plan else []
        ),
        act=_review_plan,
        done_message=_("The review has been recorded."),
        template="pathways/plan_review.html",
        needs_plan=True,
        with_reviews=True,
    )


@login_required
@serves(Purpose.SERVICE_COORDINATION)
def plan_print(request: HttpRequest, public_id: str) -> HttpResponse:
    """The plan in plain language for the client, in the client's language (or the one
    asked for with ``lang``), printable and as a PDF tagged for screen readers (PDF/UA-1).

    The plan is read and its look logged in one short transaction; the PDF, which takes
    seconds, is drawn after it has committed, holding no database transaction open."""
    printout = selectors.plan_for_print(
        Actor.of(request), public_id, language=request.GET.get("lang")
    )
    context = {
        "printout": printout,
        "plan": printout.plan,
        "episode": printout.episode,
        "client": printout.episode.client,
    }
    if request.GET.get("format") == "pdf":
        from django.template.loader import render_to_string
        from weasyprint import HTML

        with translation.override(printout.language):
            html = render_to_string("pathways/plan_pdf.html", context, request=request)
        pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
            pdf_variant="pdf/ua-1"
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="plan.pdf"'
        return response
    return render(request, "pathways/plan_print.html", context)


# Referrals --------------------------------------------------------------------------------


@login_required
@serves(Purpose.SERVICE_COORDINATION)
@transaction.atomic
def referral_create(request: HttpRequest, public_id: str) -> HttpResponse:
    return _client_action(
        request,
        public_id,
        form_class=ReferralForm,
        act=services.send_referral,
        done_message=_("The referral has been sent."),
        done=lambda referral: redirect("pathways:referral", public_id=referral.public_id),
        template="pathways/referral_form.html",
    )


@login_required
@serves(Purpose.SERVICE_COORDINATION)
@transaction.atomic
def referral(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = Actor.of(request)
    action = request.POST.get("form", "") if request.method == "POST" else ""
    accept_form = AcceptReferralForm(request.POST if action == "accept" else None, prefix="accept")
    # Declining has its own page, with a confirmation (``referral_decline``).
    decline_form = DeclineReferralForm(prefix=DECLINE)
    if action:
        # Outsiders learn nothing, not even that the referral exists.
        item, _decision = access.access_referral(actor, public_id)
        try:
            if action == "accept" and accept_form.is_valid():
                services.accept_referral(actor=actor, referral=item, **accept_form.cleaned_data)
                messages.success(
                    request,
                    _("The referral has been accepted and the service relationship started."),
                )
            elif action == "receive":
                services.mark_referral_received(actor=actor, referral=item)
            elif action in ("complete", "withdraw"):
                status = (
                    ReferralStatus.COMPLETED if action == "complete" else ReferralStatus.WITHDRAWN
                )
                services.close_referral(actor=actor, referral=item, status=status)
                messages.success(request, _("The referral has been closed."))
            elif action != "accept":
                raise Http404
            if not accept_form.errors:
                return redirect("pathways:referral", public_id=public_id)
        except ValidationError as error:
            if action != "accept":
                # Closing has no form of its own: a stale page or a second click.
                messages.error(request, " ".join(error.messages))
                return redirect("pathways:referral", public_id=public_id)
            apply_errors(accept_form, error)
    item, _decision, is_receiver = selectors.referral_detail(actor, public_id)
    return render(
        request,
        "pathways/referral.html",
        {
            "referral": item,
            "is_receiver": is_receiver,
            "accept_form": accept_form,
            "decline_form": decline_form,
            "may_see_client": bool(
                decisions.decide(
                    actor, item.client, action=Action.VIEW, category=DataCategory.BASIC
                )
            ),
        },
        status=400 if action else 200,
    )


DECLINE = "decline"


@login_required
@serves(Purpose.SERVICE_COORDINATION)
@transaction.atomic
def referral_decline(request: HttpRequest, public_id: str) -> HttpResponse:
    """Declining a referral: the ground chosen on purpose and the explanation for the
    sender, then a page that says what will follow, then the answer."""
    actor = Actor.of(request)
    item, _decision = access.access_referral(actor, public_id)
    decision = access.require_receiver(actor, item)
    back_url = reverse("pathways:referral", kwargs={"public_id": item.public_id})
    if item.status not in AWAITING_ANSWER:
        return problem(
            request, _("The referral has already been answered."), status=409, back_url=back_url
        )
    form = DeclineReferralForm(request.POST or None, prefix=DECLINE)

    def perform(data: dict[str, Any]) -> HttpResponse:
        services.decline_referral(
            actor=actor, referral=item, ground=data["decline_ground"], reason=data["decline_reason"]
        )
        messages.success(request, _("The referral has been declined."))
        # The referral's ground has ended: its page is no longer the receiver's to open.
        return redirect("home")

    return confirm_then_act(
        request,
        form=form,
        act="decline_referral",
        subject=str(item.public_id),
        template="pathways/referral_decline.html",
        context={"referral": item},
        log_view=lambda: selectors.record_referral_view(actor, item, decision),
        check=lambda data: services.check_decline_referral(
            item, ground=data["decline_ground"], reason=data["decline_reason"]
        ),
        consequences=lambda data: {
            "ground": DeclineGround(data["decline_ground"]).label,
            "reason": data["decline_reason"],
        },
        perform=perform,
        back_url=back_url,
    )


@login_required
@serves(Purpose.SERVICE_COORDINATION)
@transaction.atomic
def journal_create(request: HttpRequest, public_id: str) -> HttpResponse:
    return _client_action(
        request,
        public_id,
        form_class=JournalEntryForm,
        act=services.add_journal_entry,
        done_message=_("The entry has been saved."),
        done=lambda entry: redirect("pathways:client_pathway", public_id=entry.client.public_id),
        template="pathways/journal_form.html",
    )
