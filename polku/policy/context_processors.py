from django.http import HttpRequest

from polku.accounts.models import User
from polku.policy.decisions import client_work_memberships


def permissions(request: HttpRequest) -> dict[str, bool]:
    """What the navigation may offer the signed-in user."""
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {"may_work_with_clients": False}
    return {"may_work_with_clients": bool(client_work_memberships(user))}
