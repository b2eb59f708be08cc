"""A world for the work-trial tests: the coaching world (A coaches the client, C reads on
consent, B has no ground) with a host employer and its contact person, a second host, and
one trial arranged in a coaching of a client with an identity code and an address."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from polku.accounts.models import Organisation, User
from polku.clients.identity_code import synthetic_identity_code
from polku.core.models import Municipality
from polku.employment import employer_services
from polku.employment import worktrial_services as services
from polku.employment.models import Coaching, Employer, EmployerContactPerson, WorkTrial
from polku.employment.tests.coaching_world import World, make_world
from polku.employment.worktrial_enums import TrialPurpose
from polku.policy.enums import ConsentMethod

TODAY = timezone.localdate()
IDENTITY_CODE = synthetic_identity_code(date(1975, 6, 1), 931)


@dataclass
class TrialWorld:
    world: World
    coaching: Coaching
    host: Employer
    host_contact: EmployerContactPerson
    other_host: Employer
    other_contact: EmployerContactPerson

    def arrange(self, coaching: Coaching | None = None, **changes: object) -> WorkTrial:
        coaching = coaching or self.coaching
        values: dict[str, object] = {
            "employer": self.host,
            "contact_person": self.host_contact,
            "workplace": "Varasto, vastaanotto",
            "starts_on": coaching.started_on,
            "ends_on": coaching.started_on + timedelta(days=27),
            "tasks": "Tavaroiden vastaanotto ja hyllytys",
            "purpose": TrialPurpose.TRYING_A_FIELD,
        }
        values.update(changes)
        return services.arrange_work_trial(
            actor=self.world.actor(),
            coaching=coaching,
            **values,  # type: ignore[arg-type]
        )

    def consent(self, trial: WorkTrial) -> None:
        services.record_employer_consent(
            actor=self.world.actor(), trial=trial, method=ConsentMethod.IN_PERSON
        )


def make_trial_world(
    make_organisation: Callable[..., Organisation], make_professional: Callable[..., User]
) -> TrialWorld:
    world = make_world(make_organisation, make_professional)
    coaching = world.new_coaching(started_on=TODAY - timedelta(days=30))
    client = coaching.client
    client.set_identity_code(IDENTITY_CODE)
    client.first_names = "Pauli Olavi"
    client.street_address = "Kuusikatu 9 B 12"
    client.postal_code = "33100"
    client.post_office = "Tampere"
    client.save()
    actor = world.actor()
    tampere = Municipality.objects.get(pk="837")
    host = employer_services.create_employer(
        actor=actor, name="Pirkan Varasto Oy", municipality=tampere, business_id="2345678-0"
    )
    other_host = employer_services.create_employer(
        actor=actor, name="Nokian Kahvila Oy", municipality=tampere, business_id="1234567-1"
    )
    host_contact = employer_services.add_contact_person(
        host,
        actor=actor,
        name="Hanna Hyllynen",
        title="Varastopäällikkö",
        email="hanna@varasto.example.invalid",
    )
    other_contact = employer_services.add_contact_person(
        other_host, actor=actor, name="Kari Kahvinen"
    )
    return TrialWorld(world, coaching, host, host_contact, other_host, other_contact)
