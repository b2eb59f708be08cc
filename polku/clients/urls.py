from django.urls import path

from polku.clients import views

app_name = "clients"

urlpatterns = [
    path("", views.search, name="search"),
    path("new/", views.create, name="create"),
    path("start/", views.start_relationship, name="start_relationship"),
    path("merge/", views.merge, name="merge"),
    path("<uuid:public_id>/", views.overview, name="overview"),
    path("<uuid:public_id>/edit/", views.edit, name="edit"),
    path("<uuid:public_id>/non-disclosure/", views.non_disclosure, name="non_disclosure"),
    path("<uuid:public_id>/access-log/", views.access_log, name="access_log"),
    path("<uuid:public_id>/access-log/export/", views.access_log_export, name="access_log_export"),
    path("<uuid:public_id>/consents/new/", views.consent_create, name="consent_create"),
    path(
        "<uuid:public_id>/consents/<uuid:consent_id>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path(
        "<uuid:public_id>/consents/<uuid:consent_id>/record-again/",
        views.consent_record_again,
        name="consent_record_again",
    ),
    path(
        "<uuid:public_id>/relationships/<uuid:relationship_id>/",
        views.relationship,
        name="relationship",
    ),
    path(
        "<uuid:public_id>/relationships/<uuid:relationship_id>/end/",
        views.relationship_end,
        name="relationship_end",
    ),
    path(
        "<uuid:public_id>/consents/<uuid:consent_id>/summary/",
        views.consent_summary,
        name="consent_summary",
    ),
]
