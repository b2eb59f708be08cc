from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PathwaysConfig(AppConfig):
    name = "polku.pathways"
    verbose_name = _("Pathways and case management")

    def ready(self) -> None:
        from polku.core import daily
        from polku.pathways.tasks import refresh_alerts, remind_tasks

        daily.register(refresh_alerts)
        daily.register(remind_tasks)

        from polku.pathways import personal_data  # noqa: F401 - declares its personal data
