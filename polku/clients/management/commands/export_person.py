from __future__ import annotations

import json
import os
import sys
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.translation import gettext as _

from polku.clients import lifecycle
from polku.clients.models import Client

JOB = "export_person"


def find_client(options: dict[str, Any], stdin: Any) -> Client:
    """The client named by ``--client`` or by an identity code read from ``stdin`` (never
    from the command line, which other users of the machine can see)."""
    if options["client"]:
        try:
            public_id = uuid.UUID(options["client"])
        except ValueError as error:
            raise CommandError(
                _("%(value)s is not a client's public id.") % {"value": options["client"]}
            ) from error
        client = Client.objects.filter(public_id=public_id).first()
    else:
        try:
            client = lifecycle.client_by_identity_code(stdin.readline().strip())
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
    if client is None:
        raise CommandError(_("No client was found."))
    return client


class Command(BaseCommand):
    help = (
        "Write a subject-access export of one person (everything every app holds about "
        "them, the access log included) as JSON. The export is logged."
    )

    # call_command(..., stdin=...) in tests, like Django's createsuperuser.
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--client", help="the client's public id")
        who.add_argument(
            "--identity-code-from-stdin",
            action="store_true",
            help="read the person's identity code from the standard input",
        )
        parser.add_argument(
            "--output", help="write to this file (readable by its owner only), not stdout"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            client = find_client(options, options.get("stdin") or sys.stdin)
            export = lifecycle.export_person(actor=lifecycle.system_actor(JOB), client=client)
            text = json.dumps(export, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
            # Written inside the transaction: if the file cannot be written, the log row
            # of an export that never happened is not committed either.
            if options["output"]:
                descriptor = os.open(
                    options["output"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600
                )
                with os.fdopen(descriptor, "w", encoding="utf-8") as output:
                    output.write(text + "\n")
            else:
                self.stdout.write(text)
