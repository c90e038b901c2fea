"""`build.py new "Title"`: write a new event file with every field present and explained, ready
to edit. It passes `check` as written: a weekly event starting next week."""
from __future__ import annotations

import sys
import textwrap
from datetime import datetime, timedelta
from urllib.parse import quote

from ..schedule.dates import WEEKDAYS
from ..content.fields import EVENT, Field
from ..content.load import display_path
from ..text import FORBIDDEN_IN_SETTINGS, character_words, is_slug, slugify
from ..report import print_problems
from ..content.validate import DEFAULT_TEXT_LIMIT, read_site
from ..schedule.zones import get_zone, is_known_zone

HEADER = """+++
# {title}: one event, and every time it repeats. Lines starting with # are notes for you;
# delete them or leave them. Check your work with:  python build.py check --explain {slug}
"""
BODY = """+++
What happens at {title}, who it is for, and how to join. Markdown works: **bold**, lists, links.
"""
# How wide `new` wraps a hint's comment lines.
COMMENT_WIDTH = 96


def comment_lines(text: str, indent: str = "# ") -> list[str]:
    """A hint as comment lines of a new file, wrapped."""
    return [indent + line for line in textwrap.wrap(text, COMMENT_WIDTH - len(indent))]


def _table_lines(table: Field, values: dict) -> list[str]:
    """A table ([repeat]) or list of tables ([[overrides]]): its hint above, each field's hint
    beside its line; commented out unless `new` writes it."""
    header = f"[{table.name}]" if table.kind == "table" else f"[[{table.name}]]"
    live = any(f.written for f in table.fields)
    rows = [(f"{f.name} = {f.example.format(**values)}", f) for f in table.fields if f.example]
    width = max(len(row) for row, _ in rows) + 2
    lines = comment_lines(table.hint) + [header if live else "# " + header]
    for row, field in rows:
        lines.append(("" if field.written else "# ") + f"{row:<{width}}# {field.hint}")
    return lines


def template_text(values: dict) -> str:
    """The new file, from the field catalogue: each field's hint as comment lines above it."""
    lines = HEADER.format(**values).splitlines() + [""]
    for field in EVENT:
        if field.kind in ("table", "tables"):
            continue
        lines += comment_lines(field.hint.format(**values))
        line = f"{field.name} = {field.example.format(**values)}"
        lines.append(line if field.written else "# " + line)
    lines += ["", "# Tables like [repeat] come after the fields above."]
    for field in EVENT:
        if field.kind in ("table", "tables"):
            lines += _table_lines(field, values) + [""]
    return "\n".join(lines[:-1]) + "\n" + BODY.format(**values)


def _next_week_start(zone: str, now: datetime) -> datetime:
    """Next week's same weekday at 10:00 local: far enough ahead to edit, near enough to show."""
    local_today = now.astimezone(get_zone(zone)).date()
    return datetime.combine(local_today + timedelta(days=7), datetime.min.time()).replace(hour=10)


def new_event_text(title: str, slug: str, category: str, categories: list[str], zone: str,
                   now: datetime) -> str:
    start = _next_week_start(zone, now)
    weekday = WEEKDAYS[start.weekday()][:3].lower()
    # A room name for the example link: the slug's words, percent-encoded if not ASCII.
    room = quote("".join(w.capitalize() for w in slug.split("-")))
    return template_text(dict(
        title=title, slug=slug, title_toml=title.replace("\\", "\\\\").replace('"', '\\"'),
        categories=", ".join(categories), category=category, timezone=zone,
        start=start.isoformat(), start_date=start.date().isoformat(), weekday=weekday, url_room=room,
        until=(start + timedelta(days=182)).date().isoformat(), byday=weekday[:2].upper(),
        review_by=(start + timedelta(days=182)).date().isoformat(),
        exdate=(start + timedelta(weeks=2)).isoformat(),
        rdate=(start + timedelta(weeks=2, days=1)).isoformat(), override=(start + timedelta(weeks=3)).isoformat(),
        override_moved=(start + timedelta(weeks=3, hours=1)).isoformat(),
        end_date=(start + timedelta(days=2)).date().isoformat()))


def run_new(args, now: datetime) -> int:
    site, problems = read_site(args.content)
    if site is None:
        print_problems(problems)
        return 1
    categories = [c.slug for c in site.categories]
    category = args.category or categories[0]
    zone = args.timezone or site.timezone
    if category not in categories:
        print(f'error: unknown category "{category}"; the site has: {", ".join(categories)}',
              file=sys.stderr)
        return 2
    if not is_known_zone(zone):
        from ..content.hints import zone_hint

        print(f'error: unknown zone "{zone}"; {zone_hint(zone)}', file=sys.stderr)
        return 2
    title = args.title.strip()
    unwanted = FORBIDDEN_IN_SETTINGS.search(title)
    if unwanted or len(title) > DEFAULT_TEXT_LIMIT:
        problem = (f"the title holds {character_words(unwanted.group())}" if unwanted else
                   f"the title is longer than {DEFAULT_TEXT_LIMIT} characters")
        print(f"error: {problem}; give the title as one line of plain text", file=sys.stderr)
        return 2
    # The same rule as for every address: letters of any script and digits, hyphens between.
    slug = slugify(title)
    if not is_slug(slug):
        print(f'error: cannot make a file name from "{title}"; use letters or digits',
              file=sys.stderr)
        return 2
    path = args.content / "events" / f"{slug}.md"
    if path.exists():
        print(f"error: {display_path(path)} already exists; choose another title", file=sys.stderr)
        return 2
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(new_event_text(title, slug, category, categories, zone, now),
                    encoding="utf-8")
    print(f"Wrote {display_path(path)}. Edit it, then check it with:\n"
          f"  python build.py check --explain {slug}")
    return 0
