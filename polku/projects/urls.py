"""Funded projects and their programmes: participants, indicators, goals, plans, reports."""

from django.urls import URLPattern, path

from polku.projects import indicator_views

app_name = "projects"
urlpatterns: list[URLPattern] = [
    # Programmes and projects
    # Participants
    # Indicators
    path(
        "<uuid:public_id>/indicators/",
        indicator_views.project_indicators,
        name="project_indicators",
    ),
    path(
        "programmes/<uuid:public_id>/indicators/",
        indicator_views.programme_indicators,
        name="programme_indicators",
    ),
    # Goals, actions and results; communication and evaluation plans
    # Reporting periods and funder reports
]
