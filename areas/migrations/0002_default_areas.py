"""The nine areas of the Podlaskie multi-year contracting project (DOMAIN.md section 9)
as the default list; a municipality edits the list as data, not by a migration."""

from django.db import migrations

AREAS = [
    ("education", "edukacja i wychowanie", "education and upbringing"),
    (
        "promotion",
        "promocja gminy i przedsiębiorczości",
        "promotion of the municipality and entrepreneurship",
    ),
    (
        "social-assistance",
        "pomoc społeczna, wspieranie rodziny i polityka prorodzinna",
        "social assistance, family support and pro-family policy",
    ),
    (
        "self-government",
        "samorządność i postawy obywatelskie",
        "self-government and civic attitudes",
    ),
    ("sport", "sport i kultura fizyczna", "sport and physical culture"),
    (
        "environment",
        "zieleń, ochrona środowiska i gospodarka odpadami",
        "greenery, environmental protection and waste",
    ),
    ("culture", "kultura, tradycja i zabytki", "culture, tradition and monuments"),
    (
        "health",
        "ochrona zdrowia i profilaktyka uzależnień",
        "health protection and addiction prevention",
    ),
    ("spatial-planning", "planowanie przestrzenne", "spatial planning"),
]


def seed(apps, schema_editor):
    Area = apps.get_model("areas", "Area")
    for position, (code, name_pl, name_en) in enumerate(AREAS, start=1):
        Area.objects.get_or_create(
            code=code, defaults={"name_pl": name_pl, "name_en": name_en, "position": position}
        )


def unseed(apps, schema_editor):
    apps.get_model("areas", "Area").objects.filter(code__in=[a[0] for a in AREAS]).delete()


class Migration(migrations.Migration):
    dependencies = [("areas", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
