"""Which languages a site may choose: the message catalogues under locale/ (one .po file per
language, written by translators) and the tags CLDR knows. render/language.py turns one into
the messages and formats of a build."""
from __future__ import annotations

import re
from pathlib import Path

import babel
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

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


def canonical_tag(tag: str) -> str:
    """"pt-br" -> "pt-BR", "zh_hant_tw" -> "zh-Hant-TW": BCP 47's own casing (tags are
    case-insensitive; the catalogues and `<html lang>` use this one)."""
    locale = Locale.parse(tag.replace("_", "-"), sep="-")
    return "-".join(part for part in (locale.language, locale.script, locale.territory,
                                      locale.variant) if part)


def language_problem(tag: str, locale_dir: Path = LOCALE_DIR) -> str | None:
    """Why `tag` cannot be a site's language, or None."""
    try:
        tag = canonical_tag(tag)
    except (ValueError, TypeError, babel.UnknownLocaleError):
        return f'"{tag}" is not a language tag CLDR knows (BCP 47: "es", "pt-BR", "ar-EG")'
    if tag.split("-")[0] != SOURCE_LANGUAGE and catalogue_path(tag, locale_dir) is None:
        return f'Nextup has no catalogue for "{tag}"'
    return None


# --- the translators' check ---------------------------------------------------------------

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")
# A plural form may say its number in words instead ("una hora", Arabic's "ساعتان"): only
# these may be left out of a form.
COUNT_NAMES = {"count", "num"}


def catalogue_problems(template: Catalog, catalogue: Catalog) -> list[str]:
    """What is wrong with one language's catalogue against the template (locale/messages.pot):
    a message missing, untranslated or fuzzy, a plural form missing, a placeholder missing,
    misspelt or added, a message the template no longer has. One line each, with the msgid."""
    problems = []
    forms = catalogue.num_plurals
    # Babel's forms for the language, from CLDR (Spanish, French and Portuguese have a third,
    # for millions: "1.000.000 de horas"), as `pybabel init` writes them in the header.
    cldr_forms = Catalog(locale=catalogue.locale).num_plurals if catalogue.locale else forms
    if forms != cldr_forms:
        problems.append(f"Plural-Forms has {forms} forms; CLDR's rules for {catalogue.locale} "
                        f"have {cldr_forms}: copy the header's Plural-Forms from `pybabel init`")
    wanted = {m.id: m for m in template if m.id}
    for key, message in wanted.items():
        found = catalogue.get(key, message.context)
        label = _label(key, message.context)
        if found is None:
            problems.append(f"{label}: missing (run make translations, then translate it)")
            continue
        if found.fuzzy:
            problems.append(f"{label}: marked fuzzy (check the translation, remove the fuzzy flag)")
        strings = found.string if isinstance(found.string, tuple) else (found.string,)
        if isinstance(key, tuple) and len(strings) != forms:
            problems.append(f"{label}: {len(strings)} plural forms, the language has {forms}")
        for index, string in enumerate(strings):
            where = f"{label} (form {index})" if isinstance(key, tuple) else label
            if not string:
                problems.append(f"{where}: not translated")
                continue
            source = key[-1] if isinstance(key, tuple) else key
            expected, got = _names(source), _names(string)
            allowed_missing = COUNT_NAMES if isinstance(key, tuple) else set()
            if got - expected:
                problems.append(f"{where}: placeholder %({sorted(got - expected)[0]})s is not in "
                                f"the English; use only {_listed(expected)}")
            if expected - got - allowed_missing:
                problems.append(f"{where}: placeholder %({sorted(expected - got)[0]})s is "
                                "missing; keep every %(...)s of the English")
    for message in catalogue:
        if message.id and message.id not in wanted:
            problems.append(f"{_label(message.id, message.context)}: no longer used (run make "
                            "translations, which drops it)")
    return problems


def read_catalogue(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as po:
        return read_po(po, locale=locale)


def _names(text: str) -> set[str]:
    return {match.group(1) or match.group(0) for match in PLACEHOLDER.finditer(text)}


def _listed(names: set[str]) -> str:
    return ", ".join(f"%({n})s" for n in sorted(names)) or "none"


def _label(key, context) -> str:
    text = key[0] if isinstance(key, tuple) else key
    return f'msgid "{text}"' + (f' (msgctxt "{context}")' if context else "")
