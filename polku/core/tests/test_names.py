"""Names kept as data in every language: shown in the reader's language, edited in the
admin one field a language, refused with a clear message when malformed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from polku.accounts.models import Organisation, Unit
from polku.core.names import names_form, validate_names
from polku.pathways.models import Programme

pytestmark = pytest.mark.django_db


def test_a_name_is_shown_in_the_active_language_else_the_official_one(make_organisation):
    organisation = make_organisation(
        "Tampereen kaupunki", names={"sv": "Tammerfors stad", "en": "City of Tampere"}
    )
    unit = Unit.objects.create(organisation=organisation, name="Ohjaus", names={"sv": "Vägledning"})

    with translation.override("sv"):
        assert (str(organisation), str(unit)) == ("Tammerfors stad", "Tammerfors stad / Vägledning")
    with translation.override("en"):
        assert (str(organisation), str(unit)) == ("City of Tampere", "City of Tampere / Ohjaus")
    with translation.override("fi"):
        assert str(organisation) == "Tampereen kaupunki"


def test_ordering_and_search_keep_the_official_name(make_organisation):
    make_organisation("Aaltola", names={"en": "Zeta"})
    make_organisation("Böle", names={"en": "Alpha"})

    with translation.override("en"):
        assert [o.name for o in Organisation.objects.all()] == ["Aaltola", "Böle"]
        assert Organisation.objects.filter(name__startswith="Aal").count() == 1


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (["Tammerfors stad"], "invalid_names"),
        ({"de": "Stadt Tampere"}, "invalid_language"),
        ({"fi": "Tampereen kaupunki"}, "invalid_language"),
        ({"sv": "  "}, "invalid_name"),
        ({"en": 5}, "invalid_name"),
        ({"en": "x" * 201}, "name_too_long"),
    ],
)
def test_malformed_names_are_refused(value, code):
    with pytest.raises(ValidationError) as raised:
        validate_names(value)

    assert raised.value.code == code


def test_the_admin_form_edits_one_name_a_language(programmes):
    programme = Programme.objects.get(code="job-coaching")
    form_class = names_form(Programme)
    data = {
        "code": programme.code,
        "name": programme.name,
        "phases": '["assessment", "employment", "follow_up"]',
        "name_sv": " Jobbcoachning (IPS) ",
        "name_en": "",
    }

    form = form_class(data, instance=programme)
    assert form.is_valid(), form.errors
    form.save()

    programme.refresh_from_db()
    assert programme.names == {"sv": "Jobbcoachning (IPS)"}
    assert form_class(instance=programme).fields["name_sv"].initial == "Jobbcoachning (IPS)"


def test_a_too_long_name_is_refused_with_a_translated_message(programmes):
    programme = Programme.objects.get(code="job-coaching")
    data = {"code": programme.code, "name": programme.name, "phases": "[]", "name_en": "x" * 201}

    with translation.override("fi"):
        form = names_form(Programme)(data, instance=programme)
        assert not form.is_valid()
        assert "enintään 200 merkkiä" in str(form.errors["name_en"])
    programme.refresh_from_db()
    assert programme.names != {"en": "x" * 201}


def test_the_admin_pages_offer_the_names_in_each_language(client, make_professional):
    admin = make_professional("admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    organisation = Organisation.objects.get()
    organisation.names = {"sv": "Birkalands välfärdsområde"}
    organisation.save()

    page = client.get(reverse("admin:accounts_organisation_change", args=[organisation.pk]))

    text = page.content.decode()
    assert 'name="name_sv"' in text
    assert 'value="Birkalands välfärdsområde"' in text
    assert 'name="name_en"' in text
