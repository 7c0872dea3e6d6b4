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
        from django.conf import settings
        from django.utils.module_loading import import_string

        return [import_string(path) for path in getattr(settings, "DEMO_DATA_LOADERS", ())]
