from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    """Entered as the client tells it; never derived from the identity code."""

    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    NOT_STATED = "not_stated", _("Not stated")


class Language(models.TextChoices):
    """ISO 639-1 codes of the languages clients most often use in Finland."""

    FINNISH = "fi", _("Finnish")
    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")
    NORTHERN_SAMI = "se", _("Northern Sámi")
    RUSSIAN = "ru", _("Russian")
    ESTONIAN = "et", _("Estonian")
    ARABIC = "ar", _("Arabic")
    SOMALI = "so", _("Somali")
    UKRAINIAN = "uk", _("Ukrainian")
    PERSIAN = "fa", _("Persian")
    KURDISH = "ku", _("Kurdish")
    CHINESE = "zh", _("Chinese")
    ALBANIAN = "sq", _("Albanian")
    VIETNAMESE = "vi", _("Vietnamese")
    THAI = "th", _("Thai")
    TURKISH = "tr", _("Turkish")
    SPANISH = "es", _("Spanish")
    FINNISH_SIGN = "fse", _("Finnish Sign Language")
    OTHER = "other", _("Other language")
