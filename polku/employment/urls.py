"""Supported employment and work trials: job coaching, employers, placements."""

from django.urls import URLPattern, path

from polku.employment import (
    coaching_views,
    employer_views,
    fidelity_views,
    outcome_views,
    placement_views,
    worktrial_views,
)

app_name = "employment"
urlpatterns: list[URLPattern] = [
    # Job coaching
    path("coaching/", coaching_views.caseload, name="caseload"),
    # The supervisor's outcome view: figures per coach and per team, no client named
    path("coaching/outcomes/", outcome_views.outcomes, name="outcomes"),
    path(
        "episodes/<uuid:public_id>/coaching/start/",
        coaching_views.start_coaching,
        name="start_coaching",
    ),
    path("coaching/<uuid:public_id>/", coaching_views.coaching, name="coaching"),
    path("coaching/<uuid:public_id>/end/", coaching_views.end_coaching, name="end_coaching"),
    # Placements
    path(
        "coaching/<uuid:public_id>/placements/new/",
        placement_views.start_placement,
        name="start_placement",
    ),
    path("placements/<uuid:public_id>/end/", placement_views.end_placement, name="end_placement"),
    # Work trials, and the host employer's feedback through a single-use link (no sign-in)
    path(
        "coaching/<uuid:public_id>/work-trials/new/",
        worktrial_views.new_work_trial,
        name="new_work_trial",
    ),
    path("work-trials/<uuid:public_id>/", worktrial_views.work_trial, name="work_trial"),
    path("feedback/<str:token>/", worktrial_views.host_feedback, name="host_feedback"),
    # Employers and the engagement log
    path("employers/", employer_views.register, name="employers"),
    path("employers/new/", employer_views.create, name="employer_create"),
    path("employers/<int:employer_id>/", employer_views.employer, name="employer"),
    path("employers/<int:employer_id>/edit/", employer_views.edit, name="employer_edit"),
    path("employers/my-contacts/", employer_views.my_contacts, name="my_employer_contacts"),
    # IPS fidelity self-review of a unit (the service's quality review, not client data)
    path("fidelity/", fidelity_views.overview, name="fidelity"),
    path(
        "fidelity/units/<int:unit_id>/new/",
        fidelity_views.start_review,
        name="fidelity_start",
    ),
    path("fidelity/reviews/<int:review_id>/", fidelity_views.review, name="fidelity_review"),
    path("fidelity/wording/", fidelity_views.wording, name="fidelity_wording"),
    path(
        "fidelity/wording/<int:number>/",
        fidelity_views.item_wording,
        name="fidelity_item_wording",
    ),
]
