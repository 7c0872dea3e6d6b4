"""A light Polish stemmer for the catalogue's full-text search.

Debian's PostgreSQL has no Polish text-search dictionary (it needs the external
``polish`` ispell files), so the catalogue does its own: the words of a practice and of
a query are folded (lower case, Polish letters without their diacritics, so a query
typed without them matches too), stripped of the commonest inflectional endings, and
the stems are searched with PostgreSQL's ``simple`` configuration (no dictionary, no
stop words), stems being prefixes (``:*``) of the stored ones. "warsztatów",
"warsztatach" and "warsztaty" all become "warsztat"; "seniorzy" and "seniorami"
become "senior". It is deliberately simple: vowel alternations in the stem
("sąsiad" / "sąsiedzi") are not undone.
"""

import re

FOLD = str.maketrans("ąćęłńóśźż", "acelnoszz")
WORD = re.compile(r"[^\W\d_]{2,}")
# Longest first: the first ending that leaves a stem of at least MIN_STEM letters goes.
ENDINGS = sorted(
    [
        "owiach",
        "owiami",
        "owie",
        "ami",
        "iami",
        "ach",
        "iach",
        "om",
        "iom",
        "ow",
        "iow",
        "owi",
        "ego",
        "emu",
        "ymi",
        "imi",
        "ych",
        "ich",
        "ym",
        "im",
        "ej",
        "aj",
        "ie",
        "ia",
        "iu",
        "io",
        "ii",
        "ow",
        "a",
        "e",
        "i",
        "o",
        "u",
        "y",
        "ę",
        "ą",
        "ac",
        "ic",
        "yc",
        "al",
        "ala",
        "ali",
        "aly",
        "il",
        "ila",
        "ili",
        "ily",
        "ela",
        "eli",
    ],
    key=len,
    reverse=True,
)
MIN_STEM = 3
# Consonants softened before -i/-e that go back to their base: ogrodzie -> ogród,
# seniorzy -> senior.
SOFTENED = (("dz", "d"), ("rz", "r"))


def fold(text: str) -> str:
    return text.lower().translate(FOLD)


def stem(word: str) -> str:
    word = fold(word)
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            word = word[: -len(ending)]
            break
    for softened, base in SOFTENED:
        if word.endswith(softened) and len(word) - len(softened) + len(base) >= MIN_STEM:
            return word[: -len(softened)] + base
    return word


def stems(text: str) -> list[str]:
    """The stems of the words of ``text``, in order (digits and one-letter words out)."""
    return [stem(word) for word in WORD.findall(text or "")]


def document(*texts: str) -> str:
    """What is stored for searching: the stems of the texts, space-separated."""
    return " ".join(s for text in texts for s in stems(text))
