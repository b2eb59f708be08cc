from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmploymentConfig(AppConfig):
    name = "polku.employment"
    verbose_name = _("Supported employment")

    def ready(self) -> None:
        from polku.core import panels
        from polku.employment import (
            coaching_personal_data,  # noqa: F401 - declares its data
            worktrial_personal_data,  # noqa: F401 - declares its data
        )
        from polku.employment.coaching_selectors import (
            episode_end_panel,
            episode_panel,
            follow_ups_panel,
        )
        from polku.employment.employer_selectors import employer_work_panel

        panels.register("worklist", follow_ups_panel)
        panels.register("worklist", employer_work_panel)
        panels.register("episode", episode_panel)
        panels.register("episode_end", episode_end_panel)
