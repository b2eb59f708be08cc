from django.urls import path

from polku.policy import views

app_name = "policy"

urlpatterns = [path("act-for/", views.act_for, name="act_for")]
