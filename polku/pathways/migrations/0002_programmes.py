"""The programmes shipped with Polku, with the multi-sector joint service's rules."""

from django.db import migrations

PROGRAMMES = [
    {
        # Act 381/2023 (formerly TYP, Act 1369/2014): joint assessment within 3 months of
        # the start; the multi-sector employment plan reviewed at least every 6 months.
        "code": "multi-sector-joint-service",
        "name": "Monialainen työllistymisen edistäminen (TYP)",
        "phases": ["assessment", "rehabilitation", "education", "employment"],
        "assessment_days": 90,
        "plan_review_days": 182,
        "no_contact_days": 60,
        "max_phase_days": 365,
    },
    {
        "code": "job-coaching",
        "name": "Työhönvalmennus (IPS)",
        "phases": ["assessment", "employment", "follow_up"],
        "assessment_days": None,
        "plan_review_days": 182,
        "no_contact_days": 30,
        "max_phase_days": 365,
    },
    {
        "code": "social-rehabilitation",
        "name": "Sosiaalinen kuntoutus",
        "phases": ["assessment", "rehabilitation", "follow_up"],
        "assessment_days": 90,
        "plan_review_days": 182,
        "no_contact_days": 60,
        "max_phase_days": 540,
    },
    {
        "code": "work-ability-project",
        "name": "Työkykyhanke",
        "phases": ["assessment", "rehabilitation", "education", "employment", "follow_up"],
        "assessment_days": 90,
        "plan_review_days": 182,
        "no_contact_days": 60,
        "max_phase_days": 365,
    },
]


def create(apps, schema_editor):
    programme = apps.get_model("pathways", "Programme")
    for values in PROGRAMMES:
        programme.objects.update_or_create(code=values["code"], defaults=values)


class Migration(migrations.Migration):
    dependencies = [("pathways", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
