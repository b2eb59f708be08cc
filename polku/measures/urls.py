from django.urls import path

from polku.measures import views

app_name = "measures"

urlpatterns = [
    path("clients/<uuid:public_id>/measures/", views.client_measurements, name="client"),
    path("clients/<uuid:public_id>/measures/start/", views.start, name="start"),
    path("clients/<uuid:public_id>/measures/plain/", views.plain_summary, name="plain_summary"),
    path("measures/<uuid:public_id>/answer/", views.answer, name="answer"),
    path("measures/<uuid:public_id>/link/", views.link, name="link"),
    path("measures/instruments/", views.instruments, name="instruments"),
    path("measures/groups/", views.groups, name="groups"),
    path("measures/schedules/", views.schedules, name="schedules"),
    path("measures/instruments/editor/", views.instrument_editor, name="instrument_editor"),
    path(
        "measures/instruments/<str:code>/<str:version>/wording/",
        views.instrument_wording,
        name="instrument_wording",
    ),
    path(
        "measures/instruments/<str:code>/<str:version>/fhir.json",
        views.instrument_fhir,
        name="instrument_fhir",
    ),
    path("q/<str:token>/", views.public_answer, name="public_answer"),
]
