from django.urls import URLPattern, path

from polku.insights import background_views, export_views, research_views, views

app_name = "insights"

urlpatterns: list[URLPattern] = [
    # The situational picture
    path("", views.picture, name="picture"),
    # The exports of each insight view (``export_views.VIEWS``), named by the view, and
    # their log. The view's name is a fixed part of each path, not a parameter, so that a
    # view not listed has no URL at all.
    *(
        path(f"{view}/export.{extension}", export, {"view": view}, name=f"export_{extension}")
        for view in export_views.VIEWS
        for extension, export in (
            ("csv", export_views.export_csv),
            ("xlsx", export_views.export_xlsx),
            ("pdf", export_views.export_pdf),
        )
    ),
    path("exports/", export_views.export_log, name="export_log"),
    # The equality view of the same question
    path("equality/", views.equality, name="equality"),
    # Research extracts for approved studies
    path("research/", research_views.study_list, name="studies"),
    path("research/new/", research_views.study_create, name="study_create"),
    path("research/<uuid:public_id>/", research_views.study_detail, name="study"),
    path("research/<uuid:public_id>/approve/", research_views.study_approve, name="study_approve"),
    path("research/<uuid:public_id>/close/", research_views.study_close, name="study_close"),
    path("research/<uuid:public_id>/extract/", research_views.study_extract, name="study_extract"),
    # Background figures of municipalities
    path("background/", background_views.background, name="background"),
]
