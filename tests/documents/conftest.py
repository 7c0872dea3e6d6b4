import pytest

from tests.workflows.sample.models import Ticket


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every test stores files in its own empty directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def extra_templates(settings, tmp_path):
    """A template directory searched before the apps' templates."""
    directory = tmp_path / "templates"
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [directory, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    return directory


@pytest.fixture
def ticket(organisation, resident):
    return Ticket.objects.create(
        organisation=organisation, requester=resident, title="Zajęcia dla seniorów", priority=5
    )


def stored_files(root) -> list[str]:
    """Every file under ``root``, relative to it, sorted."""
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())
