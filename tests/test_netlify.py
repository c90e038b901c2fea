"""netlify.toml gives every file of a real build the headers it needs, with no two rules
fighting over one header; pages carry no inline code that the Content-Security-Policy forbids;
the scheduled refresh and the calendars' refresh interval agree."""
import re
import shutil
import sys
import tomllib

import pytest

from conftest import ROOT, SAMPLE_CONTENT, SAMPLE_NOW, build, write_event
from generator.render.ics import REFRESH_INTERVAL

sys.path.insert(0, str(ROOT / "bench"))
from generate import generate  # noqa: E402

CONFIG = tomllib.loads((ROOT / "netlify.toml").read_text())
SHORT = "public, max-age=300"
YEAR = "public, max-age=31536000, immutable"


def netlify_pattern(for_path: str) -> re.Pattern:
    """The `for` path as Netlify's own header parser reads it (netlify/build,
    packages/headers-parser/src/for_regexp.ts): ':x' is one segment, '*' anything."""
    parts = []
    for part in filter(None, (p.rstrip() for p in for_path.split("/"))):
        if part.startswith(":"):
            parts.append("([^/]+)")
        elif part == "*":
            parts.append("?(.*)")
        elif "*" in part:
            parts.append(part.replace("*", "(.*)"))
        else:
            parts.append(re.escape(part))
    return re.compile("^/" + "/".join(parts) + "/?$", re.IGNORECASE)


RULES = [(netlify_pattern(rule["for"]), rule["for"], rule["values"]) for rule in CONFIG["headers"]]


def headers_for(path: str) -> dict[str, list[tuple[str, str]]]:
    """header name -> [(rule, value)] for every rule matching `path`."""
    found: dict[str, list[tuple[str, str]]] = {}
    for pattern, name, values in RULES:
        if pattern.match(path):
            for header, value in values.items():
                found.setdefault(header.lower(), []).append((name, value))
    return found


def _sample(root):
    shutil.copytree(SAMPLE_CONTENT, root / "content")
    return root / "content"


def _paginated(root):
    """A site whose lists run to several pages: the events list, every category's, and one
    project's (four daily events: 360 occurrences in the horizon)."""
    generate(120, root / "generated")
    content = root / "generated" / "nextup"
    for hour in (8, 11, 14, 17):
        write_event(content, f"daily-{hour}", f"""
            title = "Daily at {hour}"
            category = "meeting"
            timezone = "Europe/London"
            start = 2027-01-01T{hour:02d}:00:00
            duration = 15
            rrule = "FREQ=DAILY"
            project = "busy project"
            """)
    return content


def _built(root, content):
    assert build(content, root / "public", SAMPLE_NOW).ok
    return root / "public"


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("netlify")
    return _built(root, _sample(root))


@pytest.fixture(scope="module")
def paginated_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("netlify-paginated")
    return _built(root, _paginated(root))


@pytest.fixture(params=["sample_site", "paginated_site"])
def site(request):
    return request.getfixturevalue(request.param)


def test_the_paginated_site_has_later_pages_of_every_kind_of_list(paginated_site):
    """Paginated list pages had no Cache-Control rule: the header tests must see one of each."""
    for later in ("events/page/2/", "events/page/4/", "categories/meeting/page/2/",
                  "projects/busy-project/page/2/"):
        assert (paginated_site / later / "index.html").is_file(), later


def published(relative: str) -> bool:
    """Whether Netlify serves a file of the publish folder: it drops dotfiles and dot-folders
    (the build's own marker among them) but .well-known, and reads _redirects and _headers
    as settings."""
    parts = relative.split("/")
    return (not any(p.startswith(".") and p != ".well-known" for p in parts)
            and relative not in ("_redirects", "_headers"))


def request_paths(site):
    """Every address a visitor can request, with the kind of file it serves."""
    for file in sorted(p for p in site.rglob("*") if p.is_file()):
        relative = file.relative_to(site).as_posix()
        if not published(relative):
            continue
        kind = ("static" if relative.startswith("static/") else
                "admin" if relative.startswith("admin/") else file.suffix)
        yield "/" + relative, kind
        if file.name == "index.html":  # also served at its directory, /events/x/
            yield "/" + relative.removesuffix("index.html"), kind


EXPECTED = {  # kind -> (Cache-Control, Content-Type or None for Netlify's own)
    ".html": (SHORT, None),
    ".json": (SHORT, "application/json; charset=utf-8"),
    ".ics": (SHORT, "text/calendar; charset=utf-8"),
    ".atom": (SHORT, "application/atom+xml; charset=utf-8"),
    ".xml": ("public, max-age=3600", "application/xml; charset=utf-8"),
    ".txt": ("public, max-age=3600", "text/plain; charset=utf-8"),
    ".js": (SHORT, None),  # /embed/widget.js, which other sites load by that name
    "static": (YEAR, None),
    # The CMS (render/admin.py): always asked again, so a new build's fields reach editors.
    "admin": ("no-cache", None),
}


def test_every_file_gets_one_cache_control_and_the_right_type(site):
    checked = 0
    for path, kind in request_paths(site):
        headers = headers_for(path)
        assert kind in EXPECTED, f"{path}: a kind of file netlify.toml has no rule for"
        cache, content_type = EXPECTED[kind]
        assert [v for _, v in headers.get("cache-control", [])] == [cache], path
        assert len(headers.get("content-type", [])) <= 1, path
        if content_type:
            assert headers["content-type"][0][1] == content_type, path
        checked += 1
    assert checked > 40


def test_every_file_gets_the_security_headers(site):
    """Each from one rule; only /embed/ may be framed (tests/js/netlify_headers.test.mjs checks
    the same with Netlify's own parser)."""
    for path, _ in request_paths(site):
        if path == "/admin/":
            continue  # redirected to /admin/index.html (the node test reads netlify.toml's redirects)
        headers = headers_for(path)
        assert all(len(rules) == 1 for rules in headers.values()), (path, headers)
        policy = headers["content-security-policy"][0][1]
        assert "script-src 'self'" in policy, path
        # Only the CMS may run what Decap needs; no page of the site may.
        assert ("unsafe-inline" in policy) == path.startswith("/admin/"), path
        if path.startswith("/embed/"):
            assert "frame-ancestors *;" in policy and "x-frame-options" not in headers, path
        else:
            assert "frame-ancestors 'none'" in policy, path
            assert headers["x-frame-options"][0][1] == "DENY", path
        assert headers["x-content-type-options"][0][1] == "nosniff"
        assert "referrer-policy" in headers


def test_pages_have_no_inline_script_or_style_for_the_policy_to_block(site):
    for page in site.rglob("*.html"):
        html = page.read_text()
        for attributes in re.findall(r"<script\b([^>]*)>", html):
            # Code only from files; data blocks (JSON-LD, the countdown's dates) never run.
            assert "src=" in attributes or re.search(r'type="application/(ld\+)?json"', attributes), page
        assert "<style" not in html and " style=" not in html, page
        assert not re.search(r"\son[a-z]+=", html), page


def test_build_settings_match_the_readme():
    assert CONFIG["build"]["publish"] == "public"
    assert CONFIG["build"]["command"].startswith("python build.py build")
    assert CONFIG["build"]["environment"]["PYTHON_VERSION"] == "3.11"
    readme = (ROOT / "README.md").read_text()
    assert "NETLIFY_BUILD_HOOK_URL" in readme


def test_scheduled_refresh_matches_what_calendars_are_told():
    workflow = (ROOT / ".github" / "workflows" / "refresh.yml").read_text()
    cron = re.search(r'cron:\s*"([^"]+)"', workflow).group(1)
    hours = int(re.fullmatch(r"\d+ \*/(\d+) \* \* \*", cron).group(1))
    assert REFRESH_INTERVAL == f"PT{hours}H"
    assert "secrets.NETLIFY_BUILD_HOOK_URL" in workflow
    assert "actions/workflows/refresh.yml/enable" in workflow  # the keep-alive


@pytest.mark.parametrize("path", [
    "/events/euroasia-scrum/2027-01-12/", "/events/euroasia-scrum/2027-01-12/index.html",
    "/events/euroasia-scrum/2027-01-12-1400/", "/events/euroasia-scrum/2027-01-12-1400/index.html",
    "/events/euroasia-scrum/sessions/", "/events/euroasia-scrum/sessions/index.html",
    "/sessions/", "/sessions/index.html", "/sessions/page/2/", "/sessions/page/10/index.html"])
def test_session_pages_get_one_short_cache_rule(path):
    """Session pages sit beside event.ics and the list's /events/page/N/: the "20*" rule must
    match them and nothing else (the sample's own session pages are checked above too)."""
    assert [v for _, v in headers_for(path).get("cache-control", [])] == [SHORT], path


@pytest.mark.parametrize("path", ["/events/euroasia-scrum/event.ics", "/events/page/2/",
                                  "/events/page/4/index.html", "/events/euroasia-scrum/"])
def test_the_session_rules_leave_their_neighbours_alone(path):
    assert len(headers_for(path).get("cache-control", [])) == 1, path
