from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "polku.policy"
    verbose_name = _("Service relationships and consents")

    def ready(self) -> None:
        from polku.policy import personal_data  # noqa: F401 - declares its personal data
