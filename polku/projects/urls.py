"""Funded projects and their programmes: participants, indicators, goals, plans, reports."""

from django.urls import URLPattern, path

from polku.projects import period_views

app_name = "projects"
urlpatterns: list[URLPattern] = [
    # Programmes and projects
    # Participants
    # Indicators
    # Goals, actions and results; communication and evaluation plans
    # Reporting periods and funder reports
    path("<uuid:public_id>/reports/", period_views.periods, name="periods"),
    path("reports/<uuid:public_id>/close/", period_views.close_period, name="close_period"),
    path(
        "reports/<uuid:public_id>/<str:version>.<str:file_format>",
        period_views.report_file,
        name="report_file",
    ),
]
