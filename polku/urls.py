from django.contrib import admin
from django.urls import include, path

from polku.core.views import healthz
from polku.pathways.views import worklist

urlpatterns = [
    path("", worklist, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("polku.accounts.urls")),
    path("accounts/", include("polku.policy.urls")),
    path("clients/", include("polku.clients.urls")),
    path("", include("polku.pathways.urls")),
    path("", include("polku.measures.urls")),
    path("", include("polku.employment.urls")),
    path("projects/", include("polku.projects.urls")),
    path("insights/", include("polku.insights.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
