"""Funded projects and their programmes: participants, indicators, goals, plans, reports."""

from django.urls import URLPattern, path

from polku.projects import indicator_views, participant_views

app_name = "projects"
urlpatterns: list[URLPattern] = [
    # Programmes and projects
    # Participants
    path(
        "<uuid:public_id>/participants/",
        participant_views.participant_list,
        name="participants",
    ),
    path(
        "<uuid:public_id>/enrol/<uuid:client_id>/",
        participant_views.enrol,
        name="enrol",
    ),
    path(
        "participants/<uuid:public_id>/",
        participant_views.participant_page,
        name="participant",
    ),
    path(
        "participants/<uuid:public_id>/entry/",
        participant_views.record_entry,
        name="participant_entry",
    ),
    path(
        "participants/<uuid:public_id>/sensitive/",
        participant_views.record_sensitive,
        name="participant_sensitive",
    ),
    path(
        "participants/<uuid:public_id>/exit/",
        participant_views.record_exit,
        name="participant_exit",
    ),
    path(
        "participants/<uuid:public_id>/follow-up/",
        participant_views.record_follow_up,
        name="participant_follow_up",
    ),
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
