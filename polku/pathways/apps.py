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

        from polku.clients.services import register_end_hold
        from polku.core import panels
        from polku.pathways.selectors import relationship_end_panel
        from polku.pathways.services import open_episodes_hold

        register_end_hold(open_episodes_hold)
        panels.register("relationship_end", relationship_end_panel)

        from polku.pathways import personal_data  # noqa: F401 - declares its personal data
