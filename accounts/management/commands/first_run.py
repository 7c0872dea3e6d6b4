"""Create the installation's first organisation and its administrator (README,
"First run"). The password comes from FIRST_RUN_ADMIN_PASSWORD or is asked for.

    manage.py first_run --name "Gmina Przykładowo" --short-name GP --nip 5260250274 \
        --street "ul. Ratuszowa 1" --postal-code 00-950 --city Przykładowo \
        --admin-email it@przykladowo.pl --admin-first-name Jan --admin-last-name Nowak
"""

import getpass
import os
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organisation
from ops.first_run import AlreadySetUp, first_run_setup

PASSWORD_VARIABLE = "FIRST_RUN_ADMIN_PASSWORD"  # noqa: S105 - the variable's name


class Command(BaseCommand):
    help = "Create the first organisation and its administrator (first run only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--kind", default=Organisation.Kind.MUNICIPALITY, choices=Organisation.Kind.values
        )
        parser.add_argument("--name", required=True, help="legal name")
        parser.add_argument("--short-name", required=True, help="e.g. in document numbers")
        parser.add_argument("--nip", required=True)
        parser.add_argument("--regon", default="")
        parser.add_argument("--street", required=True)
        parser.add_argument("--postal-code", required=True)
        parser.add_argument("--city", required=True)
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-first-name", required=True)
        parser.add_argument("--admin-last-name", required=True)
        parser.add_argument(
            "--superuser", action="store_true", help="also a Django admin superuser"
        )

    def handle(self, *args, **options):
        password = os.environ.get(PASSWORD_VARIABLE) or self.ask_password()
        organisation = {
            "kind": options["kind"],
            "name": options["name"],
            "short_name": options["short_name"],
            "nip": options["nip"],
            "regon": options["regon"],
            "street": options["street"],
            "postal_code": options["postal_code"],
            "city": options["city"],
        }
        try:
            created, admin = first_run_setup(
                organisation=organisation,
                email=options["admin_email"],
                password=password,
                first_name=options["admin_first_name"],
                last_name=options["admin_last_name"],
                superuser=options["superuser"],
            )
        except AlreadySetUp as error:
            raise CommandError(
                "An organisation exists already: the first run is over. Add the others "
                "on the pages or in the admin."
            ) from error
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            f"Created {created.name} (id {created.pk}) and its administrator {admin.email}."
        )

    def ask_password(self) -> str:
        if not sys.stdin.isatty():
            raise CommandError(f"Set {PASSWORD_VARIABLE} or run the command in a terminal.")
        password = getpass.getpass("Administrator's password: ")
        if password != getpass.getpass("Once more: "):
            raise CommandError("The two passwords differ.")
        return password
