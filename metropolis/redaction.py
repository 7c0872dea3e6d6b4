"""Removing personal data from a text before it is published as a good practice:
e-mail addresses, phone numbers, PESEL and account numbers, and the names of the
people the initiative's records name (the applicant, group members, an NGO's
representatives, a supplier's contact person), in any inflected form (a name is
matched by its stem as a word prefix)."""

import re

REMOVED = "[dane usunięte]"
PATTERNS = [
    re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"),  # e-mail
    re.compile(r"\b(PL)?\d{2}( ?\d{4}){6}\b"),  # NRB / IBAN
    re.compile(r"\b\d{11}\b"),  # PESEL
    re.compile(r"(\+48[\s-]?)?\b\d{3}[\s-]?\d{3}[\s-]?\d{3}\b"),  # phone
]
MIN_NAME = 3


def _name_stem(part: str) -> str:
    """A name's part without the ending it may take in a sentence (Kowalska ->
    Kowalsk, Anna -> Ann, Jan -> Jan)."""
    return part[:-1] if len(part) > MIN_NAME and part[-1].lower() in "aeiouy" else part


def name_patterns(names) -> list[re.Pattern]:
    patterns = []
    for name in names:
        for part in re.split(r"[\s,–-]+", name or ""):
            part = part.strip(".")
            if len(part) < MIN_NAME or not part[0].isalpha():
                continue
            patterns.append(re.compile(r"\b" + re.escape(_name_stem(part)) + r"\w*", re.IGNORECASE))
    return patterns


RUN = re.compile(re.escape(REMOVED) + r"(\s+" + re.escape(REMOVED) + ")+")


def redact(text: str, names=()) -> str:
    for pattern in PATTERNS + name_patterns(names):
        text = pattern.sub(REMOVED, text)
    return RUN.sub(REMOVED, text)  # a first name and a surname: one mark


def application_names(application) -> list[str]:
    """The natural persons an application names: the applicant, group members, a
    resident applicant, an NGO's representatives (without their functions)."""
    names = [application.applicant.get_full_name()]
    names += [m.full_name for m in application.members.all()]
    if application.kind == "resident":
        names.append(application.applicant_name)
    for entry in application.representatives.replace(";", ",").split(","):
        names.append(entry.split(" – ")[0].split(" - ")[0])
    return [n for n in names if n and n.strip()]
