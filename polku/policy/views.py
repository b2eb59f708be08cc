"""Choosing the membership a professional acts through."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from polku.accounts.models import Membership
from polku.policy.actors import SESSION_MEMBERSHIP_KEY


@login_required
@require_POST
def act_for(request: HttpRequest) -> HttpResponse:
    """Act through another of one's own active memberships from now on (this session).
    Every decision and log row then names that organisation and role."""
    wanted = request.POST.get("membership", "").strip()
    chosen = (
        Membership.objects.active()
        .filter(user_id=request.user.pk or 0, pk=int(wanted))
        .select_related("organisation")
        .first()
        if wanted.isdigit() and len(wanted) < 19
        else None
    )
    if chosen is None:
        messages.error(request, _("Choose one of your own memberships."))
    else:
        request.session[SESSION_MEMBERSHIP_KEY] = chosen.pk
        messages.success(
            request,
            _("You now act for %(organisation)s as %(role)s.")
            % {
                "organisation": chosen.organisation.localized_name,
                "role": chosen.get_role_display(),
            },
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    return redirect(target)
