"""site.toml's [announce] table, read and checked: what `build.py announce` posts to chat.

    [announce]
    lead_minutes = 10                       # post this long before each start
    categories = ["scrum"]                  # these categories' events ...
    events = ["town-hall"]                  # ... and these events; neither: every event
    message = "{title} {starts}: join {url}"

Webhook addresses are not settings: they are secrets, read from the environment by the command.
"""
from __future__ import annotations

import string
from collections.abc import Iterable

from ..model import Announce, Problem, RawFile, Site
from ..text import is_slug
from .rules import suggest

ANNOUNCE_FIELDS = ("lead_minutes", "categories", "events", "message")
MAX_LEAD_MINUTES = 24 * 60
DEFAULT_LEAD_MINUTES = Announce().lead_minutes
# What a message may say, each filled in per occurrence by the command.
PLACEHOLDERS = ("title", "starts", "time", "url", "page")


def check_announce(report, data: dict, categories: list[str] | None) -> Announce:
    """The [announce] settings (defaults for what is absent or wrong), every problem reported
    to `report` at its line. `categories`: the site's, or None when they are unknown."""
    from .validate import _value_words  # validate imports this module: import it late

    if "announce" not in data:
        return Announce()
    table = data["announce"]
    if not isinstance(table, dict):
        report.error(("announce",), f"must be an [announce] table, not {_value_words(table)}",
                     "write [announce] on a line of its own, then its settings below it")
        return Announce()
    for key in table:
        if key not in ANNOUNCE_FIELDS:
            report.error(("announce", key), f'unknown field "{key}" in [announce]',
                         suggest(key, ANNOUNCE_FIELDS) or "fields: " + ", ".join(ANNOUNCE_FIELDS))
    settings = {}
    lead = table.get("lead_minutes", DEFAULT_LEAD_MINUTES)
    if isinstance(lead, int) and not isinstance(lead, bool) and 1 <= lead <= MAX_LEAD_MINUTES:
        settings["lead_minutes"] = lead
    else:
        report.error(("announce", "lead_minutes"), "must be a whole number of minutes from 1 to "
                     f"{MAX_LEAD_MINUTES}, not {_value_words(lead)}",
                     f"remove the quotes: write lead_minutes = {lead.strip()}"
                     if isinstance(lead, str) and lead.strip().isdigit() else
                     "write lead_minutes = 10 to announce ten minutes before each start")
    chosen_categories = _names(report, table, "categories", _value_words)
    for index, name in enumerate(chosen_categories):
        if categories is not None and name not in categories:
            report.error(("announce", "categories", index),
                         f'"{name}" is not one of the categories',
                         suggest(name, categories) or "categories: " + ", ".join(categories))
    settings["categories"] = tuple(chosen_categories)
    events = _names(report, table, "events", _value_words)
    for index, name in enumerate(events):
        if not is_slug(name):
            report.error(("announce", "events", index), f'"{name}" is not an event\'s slug',
                         "write the event file's name without .md, like \"euroasia-scrum\"")
    settings["events"] = tuple(events)
    if "message" in table and ("announce", "message") not in report.rejected:
        message = _message(report, table["message"], _value_words)
        if message is not None:
            settings["message"] = message
    return Announce(**settings)


def _names(report, table: dict, key: str, value_words) -> list[str]:
    value = table.get(key, [])
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return [item.strip() for item in value]
    report.error(("announce", key), f"must be a list of names in quotes, not {value_words(value)}",
                 f'write {key} = ["{"scrum" if key == "categories" else "euroasia-scrum"}"]')
    return []


def _message(report, value, value_words) -> str | None:
    key = ("announce", "message")
    if not isinstance(value, str) or not value.strip():
        report.error(key, f"must be text in quotes, not {value_words(value)}",
                     'write message = "{title} {starts}: join {url}"')
        return None
    try:
        parts = [(name, spec, conversion)
                 for _, name, spec, conversion in string.Formatter().parse(value)
                 if name is not None]
    except ValueError:  # a lone { or }
        report.error(key, "has a { or } that is not part of a {placeholder}",
                     "write {{ or }} for the brace itself; placeholders: "
                     + ", ".join("{" + name + "}" for name in PLACEHOLDERS))
        return None
    braced = ["{" + name + "}" for name in PLACEHOLDERS]
    unknown = [name for name, _, _ in parts if name not in PLACEHOLDERS]
    for name in unknown:
        report.error(key, f'unknown placeholder "{{{name}}}"',
                     suggest("{" + name + "}", braced, quote="")
                     or "placeholders: " + ", ".join(braced))
    if unknown:
        return None
    if any(spec or conversion for _, spec, conversion in parts):
        report.error(key, "a placeholder has a format after it, like {title:>10} or {title!r}",
                     "write the placeholder alone, like {title}")
        return None
    return value.strip()


def announce_event_problems(raw_site: RawFile | None, site: Site | None,
                            event_slugs: Iterable[str]) -> list[Problem]:
    """A warning for each name in [announce] events that no event file has: its meetings would
    never be announced (a typing mistake, or an event renamed or removed). Needs every event
    file's name, so the pipeline runs it once the files are listed."""
    if raw_site is None or site is None:
        return []
    slugs = set(event_slugs)
    problems = []
    for index, slug in enumerate(site.announce.events):
        if slug in slugs:
            continue
        line, column = raw_site.positions.get(("announce", "events", index),
                                              raw_site.positions.get(("announce",), (None, None)))
        problems.append(Problem(raw_site.display_path, line, column, f"announce.events[{index}]",
                                f'no event file "{slug}.md" in events/, so nothing is announced '
                                "for it", suggest(slug, sorted(slugs))
                                or "write an event's file name without .md",
                                severity="warning"))
    return problems
