from django.core.management.base import BaseCommand

from accounts.demo import DEMO_PASSWORD, USERS, demo_load


class Command(BaseCommand):
    help = "Load demo organisations and users (idempotent). Each process adds its own demo data."

    def handle(self, *args, **options):
        demo_load()
        for hook in self.demo_hooks():
            hook()
        self.stdout.write(f"Demo data loaded. Users (password: {DEMO_PASSWORD}):")
        for email, *_ in USERS:
            self.stdout.write(f"  {email}")
        self.stdout.write("  admin@example.org (Django admin)")

    def demo_hooks(self):
        """Each process's ``demo_load`` hook (``workflows.processes``), then finance's,
        which pays the processes' orders in batches."""
        from finance.demo import demo_load as finance_demo_load
        from workflows.processes import offering

        return [*offering("demo_load"), finance_demo_load]
