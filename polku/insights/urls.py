from django.urls import URLPattern, path

from polku.insights import background_views, research_views, views

app_name = "insights"

urlpatterns: list[URLPattern] = [
    # The situational picture
    path("", views.picture, name="picture"),
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
