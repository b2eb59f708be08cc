from __future__ import annotations

import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from polku.clients import lifecycle
from polku.clients.management.commands.export_person import find_client

JOB = "anonymise_client"


class Command(BaseCommand):
    help = (
        "Replace one person's personal data with neutral values at the end of retention, "
        "keeping what statistics need and the access log as it is. Refused while the "
        "person has a service relationship or an episode that has not ended."
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
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="do not ask for confirmation",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stdin = options.get("stdin") or sys.stdin
        client = find_client(options, stdin)
        if options["interactive"]:
            answer = input(
                _("This cannot be undone. Type 'yes' to anonymise client %(id)s: ")
                % {"id": client.public_id}
            )
            if answer.strip() != "yes":
                raise CommandError(_("Nothing was changed."))
        try:
            changed = lifecycle.anonymise_client(actor=lifecycle.system_actor(JOB), client=client)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        rows = sum(changed.values())
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "Client %(id)s anonymised: %(rows)d row changed.",
                    "Client %(id)s anonymised: %(rows)d rows changed.",
                    rows,
                )
                % {"id": client.public_id, "rows": rows}
            )
        )
