"""Identity codes are stored encrypted, found by keyed hash, and keys can be rotated."""

import pytest
from django.core.management import call_command
from django.db import connection

from polku.clients import identity_storage
from polku.clients.models import Client

from .conftest import SYNTHETIC_CODE

pytestmark = pytest.mark.django_db


def stored_row(client: Client) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT identity_code_encrypted, identity_code_hash FROM clients_client WHERE id = %s",
            [client.pk],
        )
        return cursor.fetchone()


def test_the_database_never_holds_the_code_in_clear(world):
    encrypted, lookup = stored_row(world.client)

    assert SYNTHETIC_CODE not in encrypted
    assert SYNTHETIC_CODE not in lookup
    assert world.client.identity_code == SYNTHETIC_CODE
    assert world.client.masked_identity_code == "010180-****"
    assert lookup == identity_storage.lookup_hash(SYNTHETIC_CODE)


def test_rotation_reencrypts_under_the_new_key_and_the_old_key_can_go(world, settings):
    old_keys = list(settings.POLKU_IDENTITY_KEYS)
    settings.POLKU_IDENTITY_KEYS = ["a-brand-new-identity-key-for-2027-rotation", *old_keys]
    before, _ = stored_row(world.client)

    call_command("rotate_identity_keys")

    after, _ = stored_row(world.client)
    assert after != before
    settings.POLKU_IDENTITY_KEYS = ["a-brand-new-identity-key-for-2027-rotation"]
    assert Client.objects.get(pk=world.client.pk).identity_code == SYNTHETIC_CODE


def test_rotating_the_lookup_key_keeps_lookup_working(world, settings):
    settings.POLKU_IDENTITY_LOOKUP_KEY = "a-new-lookup-key-of-sufficient-length-2027"

    call_command("rotate_identity_keys")

    _, lookup = stored_row(world.client)
    assert lookup == identity_storage.lookup_hash(SYNTHETIC_CODE)
    assert Client.objects.filter(identity_code_hash=lookup).get() == world.client
