from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "polku.clients"
    verbose_name = _("Clients")

    def ready(self) -> None:
        from polku.clients import (
            checks,  # noqa: F401 - registers the system checks
            personal_data,  # noqa: F401 - declares its personal data
        )
