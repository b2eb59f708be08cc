from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmploymentConfig(AppConfig):
    name = "polku.employment"
    verbose_name = _("Supported employment")
