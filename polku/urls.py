from django.contrib import admin
from django.urls import include, path

from polku.accounts.views import home
from polku.core.views import healthz

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("polku.accounts.urls")),
    path("clients/", include("polku.clients.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
