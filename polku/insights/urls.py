from django.urls import URLPattern, path

from polku.insights import background_views

app_name = "insights"

urlpatterns: list[URLPattern] = [
    path("background/", background_views.background, name="background"),
]
