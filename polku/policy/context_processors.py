from typing import Any

from django.http import HttpRequest

from polku.accounts.models import User
from polku.policy.actors import Actor


def permissions(request: HttpRequest) -> dict[str, Any]:
    """What the navigation may offer the signed-in user, and whom they act for."""
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {"may_work_with_clients": False}
    actor = Actor.of(request)
    return {
        "may_work_with_clients": actor.client_work_membership() is not None,
        "acting_membership": actor.membership,
    }
