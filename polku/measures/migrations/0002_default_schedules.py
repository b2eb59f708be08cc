"""Default measurement schedules of the shipped programmes."""

from django.db import migrations

SCHEDULES = {
    "multi-sector-joint-service": [
        ("work-ability-score", "baseline", 0),
        ("work-ability-score", "periodic", 6),
        ("work-ability-score", "exit", 0),
        ("work-ability-score", "after_exit", 6),
        ("inclusion-indicator", "baseline", 0),
        ("inclusion-indicator", "exit", 0),
    ],
    "job-coaching": [
        ("work-ability-score", "baseline", 0),
        ("work-ability-score", "exit", 0),
        ("work-ability-score", "after_exit", 6),
    ],
    "social-rehabilitation": [
        ("inclusion-indicator", "baseline", 0),
        ("inclusion-indicator", "exit", 0),
        ("icf-rating", "baseline", 0),
        ("icf-rating", "exit", 0),
    ],
    "work-ability-project": [
        ("work-ability-score", "baseline", 0),
        ("work-ability-score", "periodic", 6),
        ("work-ability-score", "exit", 0),
        ("work-ability-score", "after_exit", 6),
        ("inclusion-indicator", "baseline", 0),
        ("inclusion-indicator", "exit", 0),
    ],
}


def create(apps, schema_editor):
    programme_model = apps.get_model("pathways", "Programme")
    schedule_model = apps.get_model("measures", "Schedule")
    for code, rows in SCHEDULES.items():
        programme = programme_model.objects.filter(code=code).first()
        if programme is None:
            continue
        for instrument_code, occasion, months in rows:
            schedule_model.objects.get_or_create(
                programme=programme, instrument_code=instrument_code, occasion=occasion,
                months=months,
            )


class Migration(migrations.Migration):
    dependencies = [("measures", "0001_initial"), ("pathways", "0002_programmes")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
