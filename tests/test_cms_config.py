"""The CMS at /admin/ (render/admin.py): its config.yml, read as Decap reads it (the `yaml`
package Decap itself uses, run in Node), holds every field of the content schema, in the
catalogue's order, with `build.py new`'s hints, every category and every zone; its scripts are
pinned to the files npm installs; site.toml's [editing] shapes it; the edit link goes where it
says."""
from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.content.fields import EVENT, LOCATION, OVERRIDE, REPEAT, SESSION, SESSION_LINK
from generator.content.location import LOCATION_FIELDS
from generator.content.rules import REPEAT_KEYS, parse_repeat
from generator.content.sessions import LINK_FIELDS, SESSION_FIELDS
from generator.content.validate import EVENT_FIELDS, OVERRIDE_FIELDS
from generator.render.admin import DECAP, IDENTITY, cms_schema
from generator.schedule.zones import is_known_zone

from conftest import ROOT, run_cli

NOW = "2026-12-02T10:00:00Z"
NODE_MODULES = ROOT / "node_modules"
needs_node = pytest.mark.skipif(not (NODE_MODULES / "yaml").is_dir() or not shutil.which("node"),
                                reason="the Node packages are installed by make setup-test")


def decap_reads(config_text: str):
    """config.yml as Decap parses it: its own `yaml` package, with its options."""
    script = ("const yaml = require('yaml'); let text = '';"
              "process.stdin.on('data', d => text += d).on('end', () => process.stdout.write("
              "JSON.stringify(yaml.parse(text, { maxAliasCount: -1, prettyErrors: true, merge: true }))));")
    done = subprocess.run(["node", "-e", script], input=config_text, capture_output=True,
                          text=True, cwd=ROOT, check=True)
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def sample_build(tmp_path_factory):
    where = tmp_path_factory.mktemp("cms")
    shutil.copytree(ROOT / "content", where / "content")
    built = run_cli("build", "--content", "content", "--output", "public", "--now", NOW, cwd=where)
    assert built.returncode == 0, built.stderr
    return where / "public"


@pytest.fixture(scope="module")
def config(sample_build):
    return decap_reads((sample_build / "admin" / "config.yml").read_text())


def collection(config, name):
    return next(c for c in config["collections"] if c["name"] == name)


def by_name(fields):
    return {f["name"]: f for f in fields}


@needs_node
def test_every_event_field_is_in_the_cms_in_the_catalogue_order(config):
    events = collection(config, "events")
    names = [f["name"] for f in events["fields"]]
    assert names == [f.name for f in EVENT] + ["body", "__source"]
    assert set(names) - {"body", "__source"} == set(EVENT_FIELDS)
    fields = by_name(events["fields"])
    assert [f["name"] for f in fields["repeat"]["fields"]] == list(REPEAT_KEYS)
    assert [f["name"] for f in fields["location"]["fields"]] == list(LOCATION_FIELDS)
    assert [f["name"] for f in fields["overrides"]["fields"]] == list(OVERRIDE_FIELDS)
    assert events["folder"] == "content/events" and events["format"] == "nextup-event"
    # Only what every event must have is required: all-day events have no start or duration.
    assert {n for n, f in fields.items() if f.get("required")} == {"title", "category", "timezone"}


@needs_node
def test_sessions_are_their_own_collection_with_every_session_field(config):
    sessions = collection(config, "sessions")
    names = [f["name"] for f in sessions["fields"]]
    assert names == ["event", "date"] + [f.name for f in SESSION] + ["body", "__source"]
    assert set(names) - {"event", "date", "body", "__source"} == set(SESSION_FIELDS)
    links = by_name(sessions["fields"])["links"]
    assert [f["name"] for f in links["fields"]] == list(LINK_FIELDS) == [f.name for f in SESSION_LINK]
    # Decap turns "fields.event" in a path into "fields-event" (prepareSlug): the bare name.
    assert sessions["path"] == "{{event}}/{{slug}}" and sessions["slug"] == "{{fields.date}}"
    assert sessions["identifier_field"] == "date"  # a cancellation has no title
    events = sorted(p.stem for p in (ROOT / "content" / "events").glob("*.md"))
    drafts = [p.stem for p in (ROOT / "content" / "events").glob("*.md") if "draft = true" in p.read_text()]
    assert by_name(sessions["fields"])["event"]["options"] == [e for e in events if e not in drafts]


@needs_node
def test_categories_and_zones_are_the_sites(config):
    fields = by_name(collection(config, "events")["fields"])
    site = (ROOT / "content" / "site.toml").read_text()
    categories = json.loads(re.search(r"^categories = (\[.*\])$", site, re.M).group(1))
    assert fields["category"]["options"] == categories
    zones = fields["timezone"]["options"]
    assert zones[0] == "Europe/London" and fields["timezone"]["default"] == "Europe/London"
    assert len(zones) == len(set(zones)) > 300
    assert all(is_known_zone(z) for z in zones)
    # Every zone the sample's events use is offered near the top, before the alphabetical rest.
    used = {re.search(r'^timezone = "(.+)"$', p.read_text(), re.M).group(1)
            for p in (ROOT / "content" / "events").glob("*.md")}
    assert used <= set(zones[:len(used) + 1])
    assert "Asia/Calcutta" not in zones, "old aliases stay out of the menu"


@needs_node
def test_the_cms_hints_are_the_ones_new_writes(config, tmp_path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    assert run_cli("new", "Hints", "--content", "content", "--now", NOW, cwd=tmp_path).returncode == 0
    comments = " ".join(line[2:] for line in
                        (tmp_path / "content" / "events" / "hints.md").read_text().splitlines()
                        if line.startswith("# "))
    fields = by_name(collection(config, "events")["fields"])
    for field in EVENT:
        hint = fields[field.name]["hint"]
        assert hint == field.hint.format(categories=", ".join(fields["category"]["options"]))
        assert hint in comments, field.name
    for table, catalogue in (("repeat", REPEAT), ("location", LOCATION), ("overrides", OVERRIDE)):
        for entry, field in zip(fields[table]["fields"], catalogue):
            assert entry["hint"] == field.hint
            if field.example:
                assert f"# {field.hint}" in (tmp_path / "content" / "events" / "hints.md").read_text()


@needs_node
def test_wall_clock_fields_use_the_wall_clock_inputs_and_the_format_writes_them_bare(config):
    events = collection(config, "events")
    kinds = cms_schema(EVENT)["kinds"]

    def walk(fields, prefix=""):
        for field in fields:
            path = f"{prefix}{field['name']}"
            inner = field.get("field")
            if "fields" in field:
                yield from walk(field["fields"], path + ("[]." if field["widget"] == "list" else "."))
            elif inner:
                yield path + "[]", inner["widget"]
            else:
                yield path, field["widget"]

    widgets = dict(walk(events["fields"]))
    wall_clock = {p for p, w in widgets.items() if w in ("nextup-datetime", "nextup-date")}
    assert wall_clock == {p for p, k in kinds.items() if k == "local"}
    assert {"start", "exdates[]", "rdates[]", "repeat.until", "overrides[].original",
            "overrides[].start", "date", "end_date", "review_by"} == wall_clock
    assert "datetime" not in widgets.values(), "Decap's own date-time input moves times to the editor's zone"


def test_every_choice_the_cms_offers_for_repeat_on_is_one_the_rules_accept():
    on = next(f for f in REPEAT if f.name == "on")
    for option in on.options:
        value = int(option) if option.isdigit() else option
        every = "week" if option in ("mon", "tue", "wed", "thu", "fri", "sat", "sun") else "month"
        fields, errors = parse_repeat({"every": every, "on": [value]})
        assert not errors, (option, errors)


@needs_node
@pytest.mark.parametrize("pinned", [DECAP, IDENTITY], ids=lambda p: p.package)
def test_the_cms_scripts_are_the_pinned_npm_files(pinned, sample_build):
    installed = json.loads((NODE_MODULES / pinned.package / "package.json").read_text())["version"]
    wanted = json.loads((ROOT / "package.json").read_text())["devDependencies"][pinned.package]
    assert installed == wanted == pinned.version
    digest = hashlib.sha384((NODE_MODULES / pinned.package / pinned.file).read_bytes()).digest()
    assert pinned.integrity == "sha384-" + base64.b64encode(digest).decode()
    page = (sample_build / "admin" / "index.html").read_text()
    assert f'src="{pinned.url}" integrity="{pinned.integrity}" crossorigin="anonymous"' in page


def test_the_cms_page_is_not_for_search_engines(sample_build):
    page = (sample_build / "admin" / "index.html").read_text()
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert "/admin/" not in (sample_build / "sitemap.xml").read_text()
    assert "window.CMS_MANUAL_INIT = true" in (sample_build / "admin" / "manual-init.js").read_text()
    script = (sample_build / "admin" / "nextup-cms.js").read_text()
    assert 'registerCustomFormat("nextup-event", "md"' in script and script.endswith("CMS.init();\n")


def _site_with(tmp_path: Path, editing: str) -> Path:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    site = tmp_path / "content" / "site.toml"
    site.write_text(site.read_text() + "\n[editing]\n" + editing)
    return tmp_path


@needs_node
def test_editing_settings_choose_the_backend_and_the_edit_link(tmp_path):
    where = _site_with(tmp_path, 'backend = "github"\nrepository = "harbourcode/events"\n'
                                 'branch = "live"\nedit_link = "github"\n')
    assert run_cli("build", "--content", "content", "--output", "public", "--now", NOW,
                   cwd=where).returncode == 0
    config = decap_reads((where / "public" / "admin" / "config.yml").read_text())
    assert config["backend"] == {"name": "github", "branch": "live", "repo": "harbourcode/events"}
    assert config["publish_mode"] == "editorial_workflow"
    page = (where / "public" / "admin" / "index.html").read_text()
    assert IDENTITY.url not in page, "Netlify Identity's widget only for git-gateway"
    event = (where / "public" / "events" / "town-hall" / "index.html").read_text()
    assert ('href="https://github.com/harbourcode/events/edit/live/content/events/town-hall.md"'
            in event)


def test_the_edit_link_to_the_cms_opens_the_events_form(tmp_path):
    where = _site_with(tmp_path, 'edit_link = "cms"\n')
    assert run_cli("build", "--content", "content", "--output", "public", "--now", NOW,
                   cwd=where).returncode == 0
    event = (where / "public" / "events" / "town-hall" / "index.html").read_text()
    assert 'href="/admin/index.html#/collections/events/entries/town-hall"' in event
    assert "Edit this event" in event


def test_no_edit_link_and_a_cms_by_default(sample_build):
    assert "Edit this event" not in (sample_build / "events" / "town-hall" / "index.html").read_text()
    assert (sample_build / "admin" / "index.html").is_file()


def test_cms_false_builds_no_admin(tmp_path):
    where = _site_with(tmp_path, "cms = false\n")
    assert run_cli("build", "--content", "content", "--output", "public", "--now", NOW,
                   cwd=where).returncode == 0
    assert not (where / "public" / "admin").exists()


def test_editing_mistakes_are_located_and_say_how_to_fix_them(tmp_path):
    where = _site_with(tmp_path, 'backend = "gitlab"\nedit_link = "github"\nbrnach = "main"\n'
                                 'repository = "not a repo"\ncms = "yes"\n')
    checked = run_cli("check", "--content", "content", "--now", NOW, cwd=where)
    assert checked.returncode == 1
    lines = (where / "content" / "site.toml").read_text().splitlines()
    for field, message in (("backend", "must be one of git-gateway, github"),
                           ("brnach", 'did you mean "branch"'),
                           ("repository", "must be a GitHub repository's owner/name"),
                           ("cms", "must be true or false"),
                           ("edit_link", "needs the repository")):
        line = next(i for i, text in enumerate(lines, 1) if text.startswith(field + " "))
        assert re.search(rf"content/site\.toml:{line}:\d+: editing\.{field}: .*{re.escape(message)}",
                         checked.stderr), (field, checked.stderr)
    assert "Traceback" not in checked.stderr


def test_every_kind_of_field_has_an_input_in_the_cms():
    """render/admin.py's _widget raises on a kind it has no input for: every kind the catalogue
    may use (fields.KINDS) gets one, with its catalogue hint."""
    from generator.content.fields import KINDS, Field
    from generator.render.admin import _widget

    options = {"categories": ["scrum"], "zones": ["UTC"]}
    for kind in KINDS:
        inner = (Field("at", "At", "a time", "text"),) if kind in ("table", "tables") else ()
        entry = _widget(Field("x", "X", f"what {kind} holds", kind, fields=inner), options)
        assert entry["widget"] and entry["hint"] == f"what {kind} holds", kind
