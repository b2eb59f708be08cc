"""Funded projects and their programmes: participants, indicators, goals, plans, reports."""

from django.urls import URLPattern, path

from polku.projects import programme_views, project_views

app_name = "projects"
urlpatterns: list[URLPattern] = [
    # Programmes and projects
    path("", project_views.project_list, name="projects"),
    path("new/", project_views.project_create, name="project_create"),
    path("programmes/", programme_views.programme_list, name="programmes"),
    path("programmes/new/", programme_views.programme_create, name="programme_create"),
    path("programmes/<uuid:public_id>/", programme_views.programme_detail, name="programme"),
    path("<uuid:public_id>/", project_views.project_detail, name="project"),
    path("<uuid:public_id>/edit/", project_views.project_edit, name="project_edit"),
    path("<uuid:public_id>/staff/", project_views.project_staff, name="staff"),
    path("<uuid:public_id>/staff/<uuid:role_id>/end/", project_views.end_staff, name="end_staff"),
    # Participants
    # Indicators
    # Goals, actions and results; communication and evaluation plans
    # Reporting periods and funder reports
]
