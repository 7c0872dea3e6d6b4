"""The published JSON schemas of the two standards, kept verbatim in ``schemas/``
beside this module (their sources, commits and licences are in ``schemas/README.md``),
and the validation of what the product publishes against them (``jsonschema``, draft 4
as both use). Nothing is fetched: the OCDS package schema's ``$ref`` to the release
schema's URL is resolved from the local file through a ``referencing`` registry."""

import copy
import json
import re
from functools import cache
from pathlib import Path

from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

FOLDER = Path(__file__).parent / "schemas"
THREESIXTY = "360-giving-schema.json"
OCDS_RELEASE = "ocds-1.1.5-release-schema.json"
OCDS_PACKAGE = "ocds-1.1.5-release-package-schema.json"


# RFC 3339 date-time (the ``format`` both standards use). jsonschema checks it only
# with an optional package this product does not need; the rule is short enough here.
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
FORMATS = FormatChecker(formats=())


@FORMATS.checks("date-time")
def _is_date_time(value) -> bool:
    return not isinstance(value, str) or bool(DATE_TIME.match(value))


@cache
def load(name: str) -> dict:
    return json.loads((FOLDER / name).read_text(encoding="utf-8"))


def threesixty_grant_schema() -> dict:
    """The stored 360Giving grant schema with the one change of version 1.4 this
    product relies on: a grant names a recipient organisation *or* an (anonymised)
    recipient individual (``recipientIndividual``: an id and a name). The stored file
    is a published version from before 1.4, kept verbatim (see ``schemas/README.md``);
    the change is made here, on a copy, never in the file."""
    schema = copy.deepcopy(load(THREESIXTY))
    schema["required"] = [r for r in schema["required"] if r != "recipientOrganization"]
    schema["anyOf"] = [
        {"required": ["recipientOrganization"]},
        {"required": ["recipientIndividual"]},
    ]
    schema["properties"]["recipientIndividual"] = {
        "type": "object",
        "required": ["id", "name"],
        "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
    }
    return schema


def threesixty_errors(package: dict) -> list[str]:
    """Every way the grants of a 360Giving package break the schema (empty: valid)."""
    validator = Draft4Validator(threesixty_grant_schema(), format_checker=FORMATS)
    problems = []
    if not isinstance(package.get("grants"), list):
        return ["the package has no list of grants"]
    for i, grant in enumerate(package["grants"]):
        problems += [f"grants[{i}]: {e.message}" for e in validator.iter_errors(grant)]
    return problems


def ocds_errors(package: dict) -> list[str]:
    """Every way an OCDS release package breaks the 1.1 schemas (empty: valid)."""
    release = load(OCDS_RELEASE)
    registry = Registry().with_resource(
        release["id"], Resource.from_contents(release, default_specification=DRAFT4)
    )
    validator = Draft4Validator(load(OCDS_PACKAGE), registry=registry, format_checker=FORMATS)
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(package)
    ]
