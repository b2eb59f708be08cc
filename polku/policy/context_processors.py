from typing import Any

from django.http import HttpRequest

from polku.accounts.models import Membership, User
from polku.policy import decisions
from polku.policy.actors import Actor


def permissions(request: HttpRequest) -> dict[str, Any]:
    """What the navigation may offer the signed-in user, and whom they act for."""
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {
            "may_work_with_clients": False,
            "may_read_employment_outcomes": False,
            "may_see_projects": False,
            "may_read_insights": False,
        }
    actor = Actor.of(request)
    memberships = list(
        Membership.objects.active().filter(user=user).select_related("organisation", "unit")
    )
    return {
        "may_work_with_clients": actor.client_work_membership() is not None,
        "may_read_employment_outcomes": decisions.may_read_employment_outcomes(actor) is not None,
        "may_see_projects": decisions.offers_projects(actor),
        "may_read_insights": decisions.may_read_insights(actor),
        "acting_membership": actor.membership,
        # Offered in the header only to someone with more than one membership.
        "other_memberships": [m for m in memberships if m != actor.membership]
        if len(memberships) > 1
        else [],
    }
