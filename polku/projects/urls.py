"""Funded projects and their programmes: participants, indicators, goals, plans, reports."""

from django.urls import URLPattern, path

from polku.projects import (
    indicator_views,
    participant_views,
    period_views,
    plan_views,
    programme_views,
    project_views,
    tracking_views,
)

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
    path("<uuid:public_id>/reports/", period_views.periods, name="periods"),
    path("reports/<uuid:public_id>/close/", period_views.close_period, name="close_period"),
    path(
        "reports/<uuid:public_id>/<str:version>.<str:file_format>",
        period_views.report_file,
        name="report_file",
    ),
]
