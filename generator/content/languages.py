"""Which languages a site may choose: the message catalogues under locale/ (one .po file per
language, written by translators) and the tags CLDR knows. render/language.py turns one into
the messages and formats of a build."""
from __future__ import annotations

from pathlib import Path

import babel
from babel import Locale

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"
SOURCE_LANGUAGE = "en"  # the message ids are Nextup's English: it needs no catalogue
DOMAIN = "messages"


class UnknownLanguage(ValueError):
    """No catalogue for the tag, or CLDR does not know it."""


def catalogue_tags(locale_dir: Path = LOCALE_DIR) -> list[str]:
    """The languages Nextup ships, as BCP 47 tags: "en" (the message ids) and each catalogue."""
    found = sorted(p.parent.parent.name.replace("_", "-")
                   for p in locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return [SOURCE_LANGUAGE] + [tag for tag in found if tag != SOURCE_LANGUAGE]


def catalogue_path(tag: str, locale_dir: Path = LOCALE_DIR) -> Path | None:
    """The catalogue that serves `tag`: its own, else its language's; None for English or none."""
    parts = tag.split("-")
    for candidate in ("_".join(parts[:n]) for n in range(len(parts), 0, -1)):
        path = locale_dir / candidate / "LC_MESSAGES" / f"{DOMAIN}.po"
        if path.is_file():
            return path
    return None


def language_problem(tag: str, locale_dir: Path = LOCALE_DIR) -> str | None:
    """Why `tag` cannot be a site's language, or None."""
    try:
        Locale.parse(tag, sep="-")
    except (ValueError, babel.UnknownLocaleError):
        return f'"{tag}" is not a language CLDR knows'
    if tag.split("-")[0] != SOURCE_LANGUAGE and catalogue_path(tag, locale_dir) is None:
        return f'Nextup has no catalogue for "{tag}"'
    return None
