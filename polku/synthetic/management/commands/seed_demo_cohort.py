from typing import Any

from django.core.management.base import BaseCommand, CommandError

from polku.accounts.models import User
from polku.synthetic.measures import COHORT_SIZE, seed_demo_cohort


class Command(BaseCommand):
    help = (
        f"Add {COHORT_SIZE} former clients of the demo's employment area, in two programmes, "
        "each with a Work Ability Score at the start and at exit, so that the group results "
        "have groups of five and more to show. Needs seed_demo first; idempotent."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not User.objects.filter(username="asiantuntija").exists():
            raise CommandError("Run manage.py seed_demo first.")
        created = seed_demo_cohort()
        self.stdout.write(
            f"Group results: {created} former clients of the employment area added now "
            "(see Change in groups as hankepaallikko or analyytikko)."
        )
