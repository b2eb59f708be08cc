from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from polku.synthetic.background import seed_demo_background
from polku.synthetic.coaching import seed_demo_coaching
from polku.synthetic.demo import DEMO_PASSWORD, seed_demo_data
from polku.synthetic.measures import seed_demo_measurements
from polku.synthetic.pathways import seed_demo_pathways
from polku.synthetic.placements import seed_demo_placements
from polku.synthetic.projects_demo import seed_demo_projects
from polku.synthetic.worktrials import seed_demo_work_trials


class Command(BaseCommand):
    help = (
        "Load the small synthetic demo data set (idempotent) and print the demo logins: "
        "organisations, one professional of each role, a dozen clients with service "
        "relationships and consents, and their pathways (episodes, plans, reviews, "
        "referrals, journal entries, alerts), written through the services so that the "
        "access log has their rows."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("load_codesets", stdout=self.stdout)
        with transaction.atomic():
            result = seed_demo_data()
            episodes, alerts = seed_demo_pathways()
            measurements = seed_demo_measurements()
            coachings = seed_demo_coaching()
            placements = seed_demo_placements()
            work_trials = seed_demo_work_trials()
            projects = seed_demo_projects()
            background = seed_demo_background()
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Demo logins:"))
        self.stdout.write(f"  {'user name':<24} {'role':<28} organisation")
        for person in result.professionals:
            self.stdout.write(
                f"  {person.username:<24} {person.role.label:<28} {person.organisation}"
            )
        for login in projects.logins:
            self.stdout.write(f"  {login.username:<24} {login.role:<28} {login.organisation}")
        self.stdout.write(f"  Password for every demo login: {DEMO_PASSWORD}")
        self.stdout.write(
            f"Demo clients: {len(result.clients)} ({result.clients_created} created now). "
            "sosiaalityontekija serves most of them; tyohonvalmentaja sees some only "
            "through the client's consent."
        )
        self.stdout.write(
            f"Episodes: {episodes} opened now; {alerts.open} open alerts "
            f"({alerts.opened} new). sosiaalityontekija's worklist shows her six cases and "
            "every kind of alert; tyohonvalmentaja has referrals waiting for an answer; "
            "sosiaaliohjaaja has a handover to answer."
        )
        self.stdout.write(
            f"Job coaching: {coachings} started now. tyohonvalmentaja's caseload is at "
            "/coaching/: one client in work, one in the job search after a course."
        )
        self.stdout.write(
            f"Placements: {placements} recorded now (a current job for the client in work, "
            "an ended fixed-term job in the coaching that ended)."
            f"Work trials: {work_trials} arranged now. The client in work tried it first at a "
            "recycling centre: open the coaching, then its work trial, for the host's feedback "
            "beside the client's own rating."
        )
        self.stdout.write(
            "Employers: five invented employers with contact people; tyohonvalmentaja has "
            "recorded contacts with them (Employers, My employer contacts)."
        )
        self.stdout.write(
            "Fidelity: two final IPS fidelity self-reviews of the job coaching unit, half a "
            "year apart (88 fair, then 101 good), at /fidelity/; the items are shown by "
            "number until an administrator enters the licensed wording."
        )
        self.stdout.write(
            f"Funded projects: {projects.projects_created} created now, with "
            f"{projects.participants_created} participants. hankepaallikko manages "
            "Työkyky yhdessä; ohjelmakoordinaattori sees every Työkykyohjelma project's "
            "figures, never a participant."
        )
        self.stdout.write(
            f"Background figures: {background} added now (sample values of a dozen "
            "Pirkanmaa municipalities, not official statistics); analyytikko and "
            "paakayttaja load more at /insights/background/."
        )
        self.stdout.write(
            f"Measurements: {measurements} made now (Work Ability Scores over time, "
            "ICF ratings, one questionnaire due)."
        )
