from django.core.management.base import BaseCommand, CommandError

from workflows.diagrams import diagram_files, diagrams_dir


class Command(BaseCommand):
    help = "Draw every registered workflow as a Mermaid diagram into docs/workflows/."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; fail when the committed diagrams differ from the code.",
        )

    def handle(self, *args, check: bool = False, **options):
        target = diagrams_dir()
        wanted = diagram_files()
        present = {path.name: path.read_text() for path in target.glob("*.md")}
        present.pop("README.md", None)
        if check:
            stale = sorted(
                name
                for name in wanted.keys() | present.keys()
                if wanted.get(name) != present.get(name)
            )
            if stale:
                raise CommandError(
                    "Workflow diagrams are out of date (run manage.py draw_workflows): "
                    + ", ".join(stale)
                )
            self.stdout.write("Workflow diagrams are up to date.")
            return
        target.mkdir(parents=True, exist_ok=True)
        for name in present.keys() - wanted.keys():
            (target / name).unlink()
        for name, text in wanted.items():
            (target / name).write_text(text)
        self.stdout.write(f"Wrote {len(wanted)} diagram(s) to {target}.")
