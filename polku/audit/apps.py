from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "polku.audit"
    verbose_name = _("Access log")

    def ready(self) -> None:
        from polku.audit import (
            checks,  # noqa: F401 - registers the system checks
            personal_data,  # noqa: F401 - declares its personal data
        )
        from polku.audit.tasks import seal_log
        from polku.core import daily

        daily.register(seal_log)
