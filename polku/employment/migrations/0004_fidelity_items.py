"""The 25 items of the IPS supported-employment fidelity scale, without their wording:
items 1–3 staffing, 4–11 organisation, 12–25 services. The wording is licensed and is
entered by an administrator from the licensed source."""

from typing import Any

from django.db import migrations

ITEM_COUNT = 25


def section(number: int) -> str:
    if number <= 3:
        return "staffing"
    if number <= 11:
        return "organisation"
    return "services"


def create(apps: Any, schema_editor: Any) -> None:
    item = apps.get_model("employment", "FidelityItem")
    for number in range(1, ITEM_COUNT + 1):
        item.objects.get_or_create(number=number, defaults={"section": section(number)})


def remove(apps: Any, schema_editor: Any) -> None:
    apps.get_model("employment", "FidelityItem").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("employment", "0003_fidelity_review")]

    operations = [migrations.RunPython(create, remove)]
