"""Who has seen the client's data: own organisations' accesses and others' use of its
own register."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import datetime, time, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from polku.audit.describe import describe
from polku.audit.models import AccessLogEntry
from polku.audit.services import Access, record
from polku.policy.actors import Actor
from polku.policy.enums import Action, BasisKind, DataCategory, Register

pytestmark = pytest.mark.django_db


def read_by(world, user, organisation, owner, basis=BasisKind.CONSENT):
    with transaction.atomic():
        record(
            actor=Actor.for_user(user),
            accesses=[
                Access(
                    client_public_id=world.client.public_id,
                    action=Action.VIEW,
                    categories=[DataCategory.SOCIAL_WELFARE],
                    organisation=organisation,
                    basis=basis,
                    owner=owner,
                    register=Register.SOCIAL_WELFARE if owner else "",
                )
            ],
        )


def test_the_owner_sees_others_reads_of_its_register_but_not_their_other_reads(client, world):
    world.worker_b.first_name, world.worker_b.last_name = "Bertta", "Lukija"
    world.worker_b.save()
    world.worker_c.first_name, world.worker_c.last_name = "Cecilia", "Muualla"
    world.worker_c.save()
    read_by(world, world.worker_b, world.org_b, owner=world.org_a)
    read_by(
        world, world.worker_c, world.org_c, owner=world.org_c, basis=BasisKind.SERVICE_RELATIONSHIP
    )
    client.force_login(world.worker_a)

    response = client.get(
        reverse("clients:access_log", kwargs={"public_id": world.client.public_id})
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Bertta Lukija" in page
    assert "Työllisyyspalvelut B" in page
    assert "Cecilia Muualla" not in page
    assert "Järjestö C" not in page


# --- Filters, pages, plain words and the export ------------------------------------------

LOG = "clients:access_log"
EXPORT = "clients:access_log_export"


def url(world, name=LOG):
    return reverse(name, kwargs={"public_id": world.client.public_id})


def past_row(world, organisation, *, days_ago, **fields):
    """A row written ``days_ago`` days ago at noon (rows are only ever inserted)."""
    return AccessLogEntry.objects.create(**row_values(world, organisation, days_ago, **fields))


def row_values(world, organisation, days_ago, **fields):
    when = timezone.make_aware(
        datetime.combine(timezone.localdate() - timedelta(days=days_ago), time(12))
    )
    values = {
        "occurred_at": when,
        "actor_kind": "professional",
        "actor_id": "1",
        "actor_name": "Bertta Lukija",
        "organisation": organisation,
        "organisation_name": organisation.name,
        "role": "employment_expert",
        "client_public_id": world.client.public_id,
        "action": "view",
        "categories": "basic",
        "basis": "service_relationship",
        "owner": organisation,
        "owner_name": organisation.name,
    }
    values.update(fields)
    return values


def shown(response) -> list[str]:
    """The plain-words sentences of the rows on a log page, in order."""
    return re.findall(r"<td[^>]*>([^<]*?\.)</td>", response.content.decode())


def test_each_row_is_said_in_plain_words_in_the_readers_language(client, world):
    # given a read of A's social-welfare records by B's employment expert, on consent
    world.worker_b.first_name, world.worker_b.last_name = "Bertta", "Lukija"
    world.worker_b.save()
    read_by(world, world.worker_b, world.org_b, owner=world.org_a)
    client.force_login(world.worker_a)

    # when A's social worker reads the log in English, Finnish and Swedish
    sentences = {}
    for language in ("en", "fi", "sv"):
        response = client.get(url(world), HTTP_ACCEPT_LANGUAGE=language)
        sentences[language] = next(s for s in shown(response) if "Bertta" in s)

    # then the row says who read what on what ground
    assert sentences == {
        "en": "Employment expert Bertta Lukija (Työllisyyspalvelut B) read social welfare "
        "records with the client&#x27;s consent.",
        "fi": "Työllisyyden asiantuntija Bertta Lukija (Työllisyyspalvelut B) luki "
        "sosiaalihuollon asiakastietoja asiakkaan suostumuksella.",
        "sv": "Sysselsättningsexpert Bertta Lukija (Työllisyyspalvelut B) läste socialvårdens "
        "klientuppgifter med klientens samtycke.",
    }


def test_writes_are_said_by_their_event(world):
    row = AccessLogEntry.objects.filter(client_public_id=world.client.public_id).earliest(
        "sequence"
    )

    assert describe(row) == (
        "Social worker Sanna Aaltomaa (Sosiaalipalvelut A) registered the client."
    )


def test_the_log_is_filtered_by_period_organisation_data_and_act(client, world):
    # given rows of A and B, at different days, data and acts
    past_row(world, world.org_a, days_ago=40, actor_name="Vanha Rivi")
    past_row(world, world.org_a, days_ago=10, actor_name="Jakson Rivi", categories="basic,plan")
    past_row(world, world.org_b, days_ago=10, actor_name="Muun Rivi", owner=world.org_a)
    past_row(world, world.org_a, days_ago=5, actor_name="Muutos Rivi", action="change")
    client.force_login(world.worker_a)
    today = timezone.localdate()

    def names(**filters):
        response = client.get(url(world), filters)
        assert response.status_code == 200
        page = response.content.decode()
        return [n for n in ("Vanha", "Jakson", "Muun", "Muutos") if f"{n} Rivi" in page]

    # then each filter keeps what it names
    period = {"date_from": today - timedelta(days=20), "date_to": today - timedelta(days=6)}
    assert names(**period) == ["Jakson", "Muun"]
    assert names(date_to=today - timedelta(days=10)) == ["Vanha", "Jakson", "Muun"]
    assert names(organisation=world.org_b.pk) == ["Muun"]
    assert names(category="plan") == ["Jakson"]
    assert names(action="change") == ["Muutos"]
    assert names(**period, organisation=world.org_a.pk) == ["Jakson"]


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"date_from": "31.2.2026"}, "Enter a valid date."),
        ({"date_from": "2026-03-10", "date_to": "2026-03-01"}, "cannot be before its start"),
        ({"date_to": "0001-01-01"}, "Give a date between 1.1.2000 and 31.12.2999."),
        ({"organisation": "999999"}, "Select a valid choice."),
        ({"organisation": "B"}, "Select a valid choice."),
        ({"category": "secrets"}, "Select a valid choice."),
        ({"action": "delete"}, "Select a valid choice."),
        ({"before": "-5"}, "There is no such page of the log."),
        ({"after": "9" * 40}, "There is no such page of the log."),
    ],
)
def test_a_bad_filter_is_a_clear_error_and_shows_no_rows(client, world, filters, message):
    client.force_login(world.worker_a)

    response = client.get(url(world), filters)

    page = response.content.decode()
    assert response.status_code == 400
    assert html.escape(message, quote=False) in page or message in page
    assert "Accesses, newest first" not in page


def test_the_log_is_paged_by_row_numbers(client, world):
    # given 120 rows (and the registration's own)
    for number in range(120):
        past_row(world, world.org_a, days_ago=1, actor_name=f"Lukija {number:03d}")
    client.force_login(world.worker_a)

    # when the user pages from the newest to older and back
    yesterday = timezone.localdate() - timedelta(days=1)
    first = client.get(url(world), {"date_to": yesterday, "category": "basic", "action": "view"})
    older_link = re.search(r'href="\?([^"]*before=\d+[^"]*)"', first.content.decode())
    assert older_link is not None
    second = client.get(f"{url(world)}?{html.unescape(older_link[1])}")
    newer_link = re.search(r'href="\?([^"]*after=\d+[^"]*)"', second.content.decode())
    assert newer_link is not None
    back = client.get(f"{url(world)}?{html.unescape(newer_link[1])}")

    # then each page has 50 rows, newest first, and the filters are kept
    def readers(response):
        return re.findall(r"Lukija (\d{3})", response.content.decode())

    assert readers(first) == [f"{n:03d}" for n in range(119, 69, -1)]
    assert readers(second) == [f"{n:03d}" for n in range(69, 19, -1)]
    assert readers(back) == readers(first)
    assert "category=basic" in older_link[1]
    assert "action=view" in older_link[1]
    assert "after=" not in first.content.decode()  # the newest page has no newer one


def test_the_page_asks_as_many_queries_for_a_thousand_rows_as_for_ten(client, world):
    client.force_login(world.worker_a)

    def queries():
        client.get(url(world))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(world)).status_code == 200
        return len(captured)

    for number in range(10):
        past_row(world, world.org_a, days_ago=1, actor_name=f"Lukija {number}")
    few = queries()
    AccessLogEntry.objects.bulk_create(
        [AccessLogEntry(**row_values(world, world.org_a, 2)) for _ in range(990)]
    )
    assert queries() == few


def test_the_export_is_the_filtered_log_as_csv_and_is_itself_logged(client, world):
    # given rows of A and B, one with an identity code in its path and a formula as a name
    past_row(world, world.org_a, days_ago=3, actor_name="=HYPERLINK(1)", path="/x/010180-9015/")
    past_row(world, world.org_b, days_ago=3, actor_name="Muun Rivi", owner=world.org_a)
    client.force_login(world.worker_a)
    before = AccessLogEntry.objects.count()

    # when A's social worker downloads the log of A's own organisation
    response = client.get(url(world, EXPORT), {"organisation": world.org_a.pk})

    # then it is a CSV of A's rows only, without identity codes or formulas
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert lines[0][:3] == ["Number", "Time", "What happened"]
    names = [line[3] for line in lines[1:]]
    assert "'=HYPERLINK(1)" in names
    assert "Muun Rivi" not in names
    assert "010180-9015" not in text
    assert "/x/[identity code]/" in text
    # and the export is logged, as an export decided on A's own relationship
    export = AccessLogEntry.objects.get(pk__gt=AccessLogEntry.objects.order_by("pk")[before - 1].pk)
    assert (export.action, export.event, export.basis) == (
        "export",
        "access_log_exported",
        "service_relationship",
    )
    assert str(export.sequence) in [line[0] for line in lines[1:]]


def test_a_bad_filter_on_the_export_is_a_clear_error_and_exports_nothing(client, world):
    client.force_login(world.worker_a)
    before = AccessLogEntry.objects.count()

    response = client.get(url(world, EXPORT), {"date_from": "yesterday"})

    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()
    assert AccessLogEntry.objects.count() == before


@pytest.mark.parametrize("name", [LOG, EXPORT])
def test_a_reader_on_consent_and_an_outsider_get_no_log(client, world, name):
    # given B, which reads the client on consent, and C, which does not serve the client
    world.consent_to_b()
    before = AccessLogEntry.objects.count()

    for worker in (world.worker_b, world.worker_c):
        client.force_login(worker)

        # when they ask for the log or its export
        response = client.get(url(world, name))

        # then it is not there for them, and nothing was logged
        assert response.status_code == 404
    assert AccessLogEntry.objects.count() == before
