"""Programmes get their names in Swedish and English as data; the shipped ones get theirs."""

from django.db import migrations, models

import polku.core.names

SHIPPED_NAMES = {
    "multi-sector-joint-service": {
        "sv": "Sektorsövergripande främjande av sysselsättningen (TYP)",
        "en": "Multi-Sector Promotion of Employment (TYP)",
    },
    "job-coaching": {"sv": "Jobbcoachning (IPS)", "en": "Job Coaching (IPS)"},
    "social-rehabilitation": {"sv": "Social rehabilitering", "en": "Social Rehabilitation"},
    "work-ability-project": {"sv": "Arbetsförmågeprojektet", "en": "Work Ability Project"},
}


def create(apps, schema_editor):
    programme = apps.get_model("pathways", "Programme")
    for found in programme.objects.filter(code__in=SHIPPED_NAMES):
        if not found.names:
            found.names = SHIPPED_NAMES[found.code]
            found.save(update_fields=["names"])


class Migration(migrations.Migration):
    dependencies = [
        ("pathways", "0007_episode_reopening_and_decline_ground"),
    ]

    operations = [
        migrations.AddField(
            model_name="programme",
            name="names",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text='The name in Swedish and English, e.g. {"sv": "…", "en": "…"}.',
                validators=[polku.core.names.validate_names],
                verbose_name="names in other languages",
            ),
        ),
        migrations.RunPython(create, migrations.RunPython.noop),
    ]
