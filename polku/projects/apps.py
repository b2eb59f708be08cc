from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "polku.projects"
    verbose_name = _("Projects and programmes")

    def ready(self) -> None:
        from polku.core import panels
        from polku.projects import personal_data  # noqa: F401 - declares its data
        from polku.projects.participant_selectors import client_panel
        from polku.projects.project_selectors import your_projects_panel

        panels.register("client_overview", client_panel)
        panels.register("home", your_projects_panel)
