from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyntheticConfig(AppConfig):
    """Synthetic demo and volume data; depends on every capability, nothing depends on it."""

    name = "polku.synthetic"
    verbose_name = _("Synthetic data")
