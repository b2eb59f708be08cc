"""Create the chain's head row up front, so that concurrent first writers never race."""

from django.db import migrations


def create_head(apps, schema_editor):
    head_model = apps.get_model("audit", "AccessLogHead")
    head_model.objects.get_or_create(id=1)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [migrations.RunPython(create_head, migrations.RunPython.noop)]
