"""Funded projects and their programmes: participants, indicators, goals, plans, reports."""

from django.urls import URLPattern, path

from polku.projects import plan_views, tracking_views

app_name = "projects"
urlpatterns: list[URLPattern] = [
    # Programmes and projects
    # Participants
    # Indicators
    # Goals, actions and results; communication and evaluation plans
    path("<uuid:public_id>/goals/", tracking_views.goals, name="goals"),
    path("goals/<uuid:public_id>/", tracking_views.goal, name="goal"),
    path("actions/<uuid:public_id>/", tracking_views.action, name="action"),
    path("results/<uuid:public_id>/", tracking_views.result, name="result"),
    path(
        "results/<uuid:public_id>/document/",
        tracking_views.evidence_document,
        name="evidence_document",
    ),
    path("<uuid:public_id>/communication/", plan_views.communication, name="communication"),
    path("communication/<uuid:public_id>/", plan_views.communication_row, name="communication_row"),
    path("<uuid:public_id>/evaluation/", plan_views.evaluation, name="evaluation"),
    path("evaluation/<uuid:public_id>/", plan_views.evaluation_row, name="evaluation_row"),
    # Reporting periods and funder reports
]
