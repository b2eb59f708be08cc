from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "polku.measures"
    verbose_name = _("Measurement")

    def ready(self) -> None:
        from polku.core import panels
        from polku.measures.selectors import client_panel, due_measurements_panel

        panels.register("worklist", due_measurements_panel)
        panels.register("client_pathway", client_panel)
        panels.register("client_overview", client_panel)

        from polku.measures.schedules import exit_measurements_panel

        panels.register("episode_end", exit_measurements_panel)

        from polku.core import daily
        from polku.measures.tasks import schedule_measurements

        daily.register(schedule_measurements)

        from polku.measures import personal_data  # noqa: F401 - declares its personal data
