"""Funded projects and their programmes: participants, indicators, goals, plans, reports."""

from django.urls import URLPattern, path  # noqa: F401 - the sections below add paths

app_name = "projects"
urlpatterns: list[URLPattern] = [
    # Programmes and projects
    # Participants
    # Indicators
    # Goals, actions and results; communication and evaluation plans
    # Reporting periods and funder reports
]
