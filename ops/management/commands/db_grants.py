"""Give the application's database role its privileges (``ops.db_roles``): run by the
owner role after every ``migrate``, e.g.

    DATABASE_URL=$MIGRATE_DATABASE_URL manage.py migrate
    DATABASE_URL=$MIGRATE_DATABASE_URL manage.py db_grants mikrowsparcia_app
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from ops.db_roles import grant_statements, grants_apply


class Command(BaseCommand):
    help = "Grant the application role DML on every table, append-only on the logs."

    def add_arguments(self, parser):
        parser.add_argument("role", help="the application's role, e.g. mikrowsparcia_app")
        parser.add_argument(
            "--print", action="store_true", help="print the statements, run nothing"
        )

    def handle(self, *args, role, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Database roles exist on PostgreSQL only.")
        if options["print"]:
            for statement in grant_statements(role):
                self.stdout.write(statement + ";")
            return
        with transaction.atomic():
            statements = grants_apply(role=role)
        self.stdout.write(f"{len(statements)} statements applied for {role}.")
