"""Views and responses shared by every capability."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET


def problem(
    request: HttpRequest,
    message: str,
    *,
    status: int = 400,
    title: str | None = None,
    back_url: str | None = None,
) -> HttpResponse:
    """A plain page that says, in the user's language, why the request was not carried
    out (bad input, or an act already done): a 4xx, never a server error."""
    return render(
        request,
        "problem.html",
        {
            "title": title or _("This could not be done"),
            "message": message,
            "back_url": back_url,
        },
        status=status,
    )


@requires_csrf_token
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The page for a form refused by the CSRF check (``CSRF_FAILURE_VIEW``): what to do,
    in the user's language, never the ``reason``, which names the check that failed."""
    return render(request, "403_csrf.html", status=403)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
