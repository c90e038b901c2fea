"""The CMS at /admin/: Decap CMS, set up from the site's own field catalogue.

    admin/index.html     the page: Decap from a pinned, integrity-checked address, then ours
    admin/config.yml     collections and fields, made from content/fields.py (the same hints
                         and order as `build.py new`), the site's categories, events and zones
    admin/nextup-cms.js  registers Nextup's file format with Decap (the schema inlined), starts it
    admin/nextup-format.js  Nextup's TOML for Decap: reads a file, writes what the form holds
    admin/nextup-layout.js  ... keeping every byte of what the editor did not change
    admin/nextup-widgets.js wall-clock date and time inputs
    admin/vendor/smol-toml/ the TOML reader (these four copied from static/admin/ as they are)

Why Decap, and why our own format: README, "Editing in the browser". In short: Decap's TOML
writes date-times as quoted UTC strings in the editor's zone and drops comments; the
`nextup-event` format writes Nextup's TOML (bare local date-times, tables after fields) and keeps
every byte of what the editor did not change.
"""
from __future__ import annotations

import json
from urllib.parse import quote
from dataclasses import dataclass

from ..content.fields import EVENT, SESSION, Field
from ..content.validate import TIMED_ONLY_FIELDS
from ..model import Event, Site

ADMIN = "admin/"


@dataclass(frozen=True)
class Pinned:
    """A script from npm, at a fixed version, from jsDelivr (which serves the package's own
    bytes), with the SRI hash of that file (tests/js/cms_pins.test.mjs checks it against the
    same version installed from npm)."""

    package: str
    version: str
    file: str
    integrity: str

    @property
    def url(self) -> str:
        return f"https://cdn.jsdelivr.net/npm/{self.package}@{self.version}/{self.file}"


DECAP = Pinned("decap-cms", "3.16.3", "dist/decap-cms.js",
               "sha384-A/Gdn928CNLufmnGWGs9RM4Q9o8bSNLeJERqBFrBjwzL7FRpoLT3MPF8Tl0+Wd2p")
# Netlify Identity's log-in and invitation screens, for backend = "git-gateway".
IDENTITY = Pinned("netlify-identity-widget", "2.0.3", "build/netlify-identity-widget.js",
                  "sha384-MDUpeNysRoXS3J89jBylG2fdrQQ0dwDBTXhXGt3XQCgsFF92tnRKZS5vCKNs3XhD")

# Wall-clock inputs (static/admin/nextup-widgets.js): the digits typed are the ones stored, in
# the event's zone, never moved to the editor's (as Decap's own datetime widget does).
_DATETIME = {"widget": "nextup-datetime",
             "pattern": ["^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:00)?$",
                         "a date, and a time"]}
_DATE = {"widget": "nextup-date",
         "pattern": ["^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "a date"]}
_WEB_ADDRESS = ["^https?://\\S+$", "an address starting with https://"]

# Where a kind of value goes in the file, for the format (static/admin/nextup-format.js):
# "local" values are written bare (2027-01-05T15:15:00), numbers unquoted.
_FORMAT_KINDS = {"local_datetime": "local", "local_date": "local", "minutes": "integer",
                 "whole_number": "integer", "boolean": "boolean", "local_datetimes": "local[]",
                 "repeat_on": "integer-or-string[]", "numbers": "float[]"}


def cms_schema(fields: tuple[Field, ...]) -> dict:
    """What the format needs to write a file: each table's key order, and each path's kind
    ("start": "local", "exdates[]": "local", "overrides[].duration": "integer")."""
    order: dict[str, list[str]] = {}
    kinds: dict[str, str] = {}

    def walk(fields, prefix: str):
        order[prefix] = [f.name for f in fields]
        for field in fields:
            path = f"{prefix}.{field.name}" if prefix else field.name
            if field.kind == "table":
                walk(field.fields, path)
            elif field.kind == "tables":
                walk(field.fields, path + "[]")
            elif field.kind in _FORMAT_KINDS:
                kind = _FORMAT_KINDS[field.kind]
                if kind.endswith("[]"):
                    path, kind = path + "[]", kind[:-2]
                kinds[path] = kind

    walk(fields, "")
    return {"order": order, "kinds": kinds}


def _widget(field: Field, options: dict) -> dict:
    """One field of config.yml: Decap's input for the field's kind, with the catalogue's hint."""
    entry = {"name": field.name, "label": field.label,
             **({"label_singular": field.singular} if field.singular else {}),
             "hint": field.hint.format(categories=", ".join(options["categories"])),
             "required": field.required}
    kind = field.kind
    # Above each item of a list: "Cancelled meeting", not the list's own "Cancelled meetings".
    item_label = field.singular.capitalize() if field.singular else field.label
    if kind == "text":
        entry["widget"] = "string"
    elif kind == "web_address":
        entry.update(widget="string", pattern=_WEB_ADDRESS)
    elif kind == "category":
        entry.update(widget="select", options=options["categories"])
    elif kind == "timezone":
        entry.update(widget="select", options=options["zones"], default=options["zones"][0])
    elif kind in ("status", "repeat_every"):
        entry.update(widget="select", options=list(field.options))
    elif kind == "repeat_on":
        entry.update(widget="select", multiple=True, options=list(field.options))
    elif kind == "local_datetime":
        entry.update(_DATETIME)
    elif kind == "local_date":
        entry.update(_DATE)
    elif kind in ("minutes", "whole_number"):
        entry.update(widget="number", value_type="int", min=1, step=1)
    elif kind == "boolean":
        entry.update(widget="boolean", default=False)
    elif kind == "local_datetimes":
        entry.update(widget="list", field={"name": field.name, "label": item_label, **_DATETIME})
    elif kind == "texts":
        entry.update(widget="list", field={"name": field.name, "label": item_label,
                                           "widget": "string"})
    elif kind == "clock_times":
        entry.update(widget="list", field={"name": field.name, "label": item_label,
                                           "widget": "string",
                                           "pattern": ["^[0-2][0-9]:[0-5][0-9]$", "a time like 16:00"]})
    elif kind == "numbers":
        entry.update(widget="list", field={"name": field.name, "label": item_label,
                                           "widget": "number", "value_type": "float"})
    elif kind == "table":
        entry.update(widget="object", collapsed=field.name != "repeat",
                     fields=[_widget(f, options) for f in field.fields])
    elif kind == "tables":
        entry.update(widget="list", collapsed=False,
                     fields=[_widget(f, options) for f in field.fields])
    else:  # pragma: no cover - fields.KINDS and this list are kept together by a test
        raise ValueError(kind)
    return entry


def _event_field(field: Field, options: dict) -> dict:
    """An event's field; start and duration are not required in the form, as an all-day event
    has date instead (`check` on the pull request says when neither is there)."""
    entry = _widget(field, options)
    if field.name in TIMED_ONLY_FIELDS:
        entry["required"] = False
    return entry


# Carries the file's text as read, so the format keeps what the editor did not change.
_SOURCE = {"name": "__source", "widget": "hidden", "required": False}
_BODY = {"name": "body", "label": "Description", "widget": "markdown",
         "modes": ["raw", "rich_text"], "required": False,
         "hint": "What happens, who it is for, and how to join. Markdown works."}


def cms_config(site: Site, event_slugs: list[str], zones: list[str]) -> dict:
    """config.yml as data: where the CMS saves, and the events and sessions collections."""
    editing = site.editing
    options = {"categories": [c.slug for c in site.categories], "zones": zones}
    backend = {"name": editing.backend, "branch": editing.branch}
    if editing.repository:
        backend["repo"] = editing.repository
    # Decap reads its slug settings for new files' names; Nextup's are the title's words,
    # lowercase, in any script, hyphens between (text.slugify).
    slug = {"encoding": "unicode", "clean_accents": False, "sanitize_replacement": "-"}
    events = {
        "name": "events", "label": "Events", "label_singular": "Event",
        "description": "One file per event: every time it meets, and how it repeats.",
        "folder": "content/events", "extension": "md", "format": "nextup-event",
        "create": True, "slug": "{{slug}}", "identifier_field": "title",
        "summary": "{{title}} ({{category}})", "sortable_fields": ["title", "category"],
        "editor": {"preview": False},
        "fields": [_event_field(f, options) for f in EVENT] + [_BODY, _SOURCE]}
    sessions = {
        "name": "sessions", "label": "Sessions", "label_singular": "Session",
        "description": "What happened at one meeting, or that it is cancelled: "
                       "content/sessions/<event>/<date>.md.",
        "folder": "content/sessions", "extension": "md", "format": "nextup-session",
        # Decap lower-cases the path template and turns "." into "-" before filling it
        # (prepareSlug), so the path names the field bare; the slug template is left as it is.
        # The identifier is the date: a cancellation needs no title.
        "create": True, "path": "{{event}}/{{slug}}", "slug": "{{fields.date}}",
        "identifier_field": "date",
        "summary": "{{fields.event}} {{fields.date}} {{title}}",
        "editor": {"preview": False},
        "fields": [
            {"name": "event", "label": "Event", "widget": "select", "options": event_slugs,
             "required": False,
             "hint": "For a new record: the event it belongs to (its file's name)."},
            {"name": "date", "label": "Date", "widget": "string", "required": False,
             "pattern": ["^[0-9]{4}-[0-9]{2}-[0-9]{2}(-[0-9]{4})?$",
                         "a date like 2027-01-18, or 2027-01-18-1530 for one of several that day"],
             "hint": "For a new record: the meeting's date as the series gives it, in the event's "
                     "zone (add -HHMM when it meets more than once that day)."},
            *[_widget(f, options) for f in SESSION],
            {**_BODY, "label": "Notes", "hint": "What was decided, what comes next. Markdown works."},
            _SOURCE]}
    return {
        "backend": backend,
        # Saving opens a pull request: `check` annotates it, the deploy preview shows the page.
        "publish_mode": "editorial_workflow",
        # With `npx decap-server` running beside `build.py serve`, on this computer only.
        "local_backend": True,
        "site_url": site.base_url, "display_url": site.base_url,
        "locale": "en",
        "media_folder": "content/images", "public_folder": "images",
        "slug": slug,
        "collections": [events, sessions],
    }


def yaml_text(value, indent: int = 0) -> str:
    """YAML for config.yml: block style, every string in JSON's double quotes (valid YAML, and
    nothing an event's name holds can change the structure)."""
    pad = " " * indent
    if isinstance(value, dict):
        lines = []
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{key}:\n{yaml_text(item, indent + 2)}")
            else:
                lines.append(f"{pad}{key}: {_scalar(item)}")
        return "\n".join(lines)
    lines = []
    for item in value:
        if isinstance(item, (dict, list)) and item:
            nested = yaml_text(item, indent + 2)
            lines.append(f"{pad}- {nested.lstrip()}")
        else:
            lines.append(f"{pad}- {_scalar(item)}")
    return "\n".join(lines)


def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if value == [] or value == {}:
        return "[]" if value == [] else "{}"
    return json.dumps(value, ensure_ascii=False)


def cms_script() -> bytes:
    """admin/nextup-cms.js: Nextup's two file formats registered with Decap, then Decap started
    (index.html sets CMS_MANUAL_INIT, so Decap waits for this)."""
    schemas = {"nextup-event": cms_schema(EVENT), "nextup-session": cms_schema(SESSION)}
    registrations = "".join(
        f'CMS.registerCustomFormat("{name}", "md", nextupFormat({json.dumps(schema)}));\n'
        for name, schema in schemas.items())
    return ("// Made by build.py (generator/render/admin.py) from the field catalogue.\n"
            'import { nextupFormat } from "./nextup-format.js";\n'
            'import { registerWallClockWidgets } from "./nextup-widgets.js";\n\n'
            "registerWallClockWidgets(CMS);\n"
            + registrations + "CMS.init();\n").encode("utf-8")


def admin_files(page, event_slugs: list[str], zones: list[str]) -> list[tuple[str, bytes]]:
    """Every generated file of /admin/ (the static ones come from static/admin/)."""
    site = page.site
    config = ("# Made by build.py from the site's field catalogue (generator/content/fields.py)\n"
              "# and site.toml's [editing]: edit those, not this file.\n"
              + yaml_text(cms_config(site, event_slugs, zones)) + "\n")
    index = page.render(
        ADMIN + "index.html", "admin.html", decap=DECAP,
        identity=IDENTITY if site.editing.backend == "git-gateway" else None,
        manual_init=page.links.prefix + ADMIN + "manual-init.js",
        cms_script=page.links.prefix + ADMIN + "nextup-cms.js")
    return [(ADMIN + "index.html", index), (ADMIN + "config.yml", config.encode("utf-8")),
            (ADMIN + "nextup-cms.js", cms_script())]


def edit_address(site: Site, links, event: Event) -> str | None:
    """Where "Edit this event" leads (site.toml [editing] edit_link): the event's form in the
    CMS, or its file in GitHub's editor; None when the site shows no such link."""
    editing = site.editing
    if editing.edit_link == "cms":
        return f"{links.prefix}{ADMIN}index.html#/collections/events/entries/{quote(event.slug)}"
    if editing.edit_link == "github":
        # The file's path in the repository: the build runs at the repository's top
        # (Netlify, the workflows), so the path messages use is that path.
        path = event.source if event.source and not event.source.startswith(("/", "..")) \
            else f"content/events/{event.slug}.md"
        return (f"https://github.com/{editing.repository}/edit/{quote(editing.branch)}/"
                f"{quote(path)}")
    return None
