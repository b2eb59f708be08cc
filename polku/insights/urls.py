from django.urls import path

from polku.insights import views

app_name = "insights"

urlpatterns = [
    path("", views.picture, name="picture"),
]
