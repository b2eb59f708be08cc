"""The register and legal basis of a new relationship default from the organisation's kind,
with the reason said next to the fields."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from polku.accounts.enums import OrganisationKind, Role
from polku.clients.forms import RelationshipTermsForm

from .conftest import SYNTHETIC_CODE

pytestmark = pytest.mark.django_db

USUAL = [
    (OrganisationKind.HEALTH_CARE, Role.NURSE, "health_care", "health_care_act", "Health Care Act"),
    (
        OrganisationKind.KELA,
        Role.KELA_ADVISOR,
        "employment_services",
        "kela_rehabilitation_act",
        "Act on Kela Rehabilitation Benefits",
    ),
    (OrganisationKind.NGO, Role.NGO_WORKER, "other", "client_agreement", "own request"),
    (
        OrganisationKind.SOCIAL_WELFARE,
        Role.SOCIAL_WORKER,
        "social_welfare",
        "social_welfare_act",
        "Social Welfare Act",
    ),
    (
        OrganisationKind.EMPLOYMENT_SERVICES,
        Role.EMPLOYMENT_EXPERT,
        "employment_services",
        "employment_services_act",
        "(380/2023)",
    ),
]


def selected(page: str, name: str) -> list[str]:
    """The values of the selected options of the select named ``name``."""
    select = re.search(rf'<select name="{name}".*?</select>', page, re.DOTALL)
    assert select, name
    return re.findall(r'<option value="([^"]*)"[^>]*selected', select[0])


@pytest.mark.parametrize(("kind", "role", "register", "basis", "explained"), USUAL)
def test_the_registration_form_suggests_the_usual_terms_of_the_organisations_kind(
    client, make_organisation, make_professional, kind, role, register, basis, explained
):
    # given a professional of an organisation of this kind
    organisation = make_organisation("Palvelija Oy", kind)
    client.force_login(make_professional("worker", role, organisation))

    # when they open the registration form
    response = client.get(reverse("clients:create"))

    # then the usual register and legal basis are chosen, and the reason is said
    page = response.content.decode()
    assert response.status_code == 200
    assert selected(page, "register") == [register]
    assert selected(page, "legal_basis") == [basis]
    assert explained in page
    assert "Choose another only if the service rests on another law." in page


def test_the_start_of_a_relationship_after_a_lookup_suggests_them_too(client, world):
    # given a health-care nurse who finds a person by identity code
    health = world.org_c
    health.kind = OrganisationKind.HEALTH_CARE
    health.save()
    client.force_login(world.worker_c)

    # when the search finds the person, who is not the organisation's client
    response = client.post(reverse("clients:search"), {"q": SYNTHETIC_CODE})

    # then the form to start a relationship suggests patient records under the Health Care Act
    page = response.content.decode()
    assert response.status_code == 200
    assert selected(page, "register") == ["health_care"]
    assert selected(page, "legal_basis") == ["health_care_act"]


def test_what_the_user_chose_is_kept_over_the_suggestion(make_organisation):
    # given a Kela office's form posted with another legal basis
    kela = make_organisation("Kela", OrganisationKind.KELA)
    form = RelationshipTermsForm(
        {"organisation": kela.pk, "register": "other", "legal_basis": "client_agreement"},
        organisations=[kela],
    )

    # then the posted choice stands
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["register"], form.cleaned_data["legal_basis"]) == (
        "other",
        "client_agreement",
    )
