"""Supported employment and work trials: job coaching, employers, placements."""

from django.urls import URLPattern, path

from polku.employment import coaching_views

app_name = "employment"
urlpatterns: list[URLPattern] = [
    # Job coaching
    path("coaching/", coaching_views.caseload, name="caseload"),
    path(
        "episodes/<uuid:public_id>/coaching/start/",
        coaching_views.start_coaching,
        name="start_coaching",
    ),
    path("coaching/<uuid:public_id>/", coaching_views.coaching, name="coaching"),
    path("coaching/<uuid:public_id>/end/", coaching_views.end_coaching, name="end_coaching"),
]
