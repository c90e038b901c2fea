"""The sample site in each shipped language (one line in site.toml): it builds, every page says
its language, no English message leaks into what visitors read (pages, calendars, feeds), and
every page passes the W3C checker. "ar-EG" is Arabic as Egypt writes it: CLDR's Arabic-Indic
digits (plain "ar" writes 0-9, as CLDR has it)."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE_CONTENT, SAMPLE_NOW, build
from generator.content.languages import LOCALE_DIR, catalogue_path, read_catalogue

LANGUAGES = ["es", "pt-BR", "de", "fr", "ar", "ar-EG"]
TEMPLATE = LOCALE_DIR / "messages.pot"


def sample_in(tag: str, root: Path) -> Path:
    """The sample site built with `language = tag` (the only line that differs)."""
    content, output = root / "content", root / "public"
    shutil.copytree(SAMPLE_CONTENT, content)
    site_toml = content / "site.toml"
    site_toml.write_text(f'language = "{tag}"\n' + site_toml.read_text(encoding="utf-8"),
                         encoding="utf-8")
    result = build(content, output, SAMPLE_NOW)
    assert result.ok, result
    return output


@pytest.fixture(scope="module", params=LANGUAGES)
def built(request, tmp_path_factory) -> tuple[str, Path]:
    tag = request.param
    if catalogue_path(tag) is None:
        pytest.skip(f"no catalogue for {tag}")
    return tag, sample_in(tag, tmp_path_factory.mktemp(tag.replace("-", "_")))


class _VisibleText(HTMLParser):
    """What a visitor reads: text outside <script> and <style>, and the attributes a screen
    reader or a browser shows (alt, title, aria-label, placeholder)."""

    SHOWN = ("alt", "title", "aria-label", "placeholder")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.lang = self.dir = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang, self.dir = attrs.get("lang"), attrs.get("dir")
        if tag in ("script", "style"):
            self.hidden += 1
        self.parts += [attrs[name] for name in self.SHOWN if attrs.get(name)]
        if tag == "meta" and attrs.get("name") == "description":
            self.parts.append(attrs.get("content") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def read_page(path: Path) -> _VisibleText:
    parser = _VisibleText()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def english_phrases(tag: str) -> set[str]:
    """The English catalogue's phrases (message ids cut at placeholders and markup) of two
    words or more, except those the language keeps as they are (a product's name) and those
    the sample's own content says (event titles and descriptions stay as editors wrote them)."""
    catalogue = read_catalogue(catalogue_path(tag))
    content_text = " ".join(" ".join(p.read_text(encoding="utf-8").split())
                            for p in SAMPLE_CONTENT.rglob("*") if p.suffix in (".md", ".toml"))
    phrases = set()
    for message in read_catalogue(TEMPLATE):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        found = catalogue.get(message.id, message.context)
        strings = found.string if isinstance(found.string, tuple) else (found.string,)
        for text in ids:
            for piece in re.split(r"%\(\w+\)s|<[^>]*>|\{\{.*?\}\}", text):
                piece = piece.strip(" .,:;()·–-\n")
                if (" " in piece and len(re.sub(r"\W", "", piece)) >= 6
                        and not any(piece in s for s in strings) and piece not in content_text):
                    phrases.add(piece)
    return phrases


def visitor_files(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*") if p.is_file() and p.suffix in (".html", ".ics", ".atom",
                                                                            ".json", ".xml")
                  and p.relative_to(site).parts[0] != "admin")  # the CMS is for editors: English


def test_every_page_says_its_language_and_direction(built):
    tag, site = built
    pages = [p for p in site.rglob("*.html") if p.relative_to(site).parts[0] != "admin"]
    assert len(pages) > 50
    for page in pages:
        read = read_page(page)
        assert (read.lang, read.dir) == (tag, "rtl" if tag.startswith("ar") else None), page


def test_no_english_message_leaks_into_what_visitors_read(built):
    tag, site = built
    phrases = english_phrases(tag)
    assert len(phrases) > 100  # the scan looks for something
    leaks = {}
    for path in visitor_files(site):
        if path.suffix == ".html":
            text = " ".join(" ".join(read_page(path).parts).split())
        else:
            text = path.read_text(encoding="utf-8").replace("\\n", " ").replace("\r\n ", "")
        found = sorted(p for p in phrases if p in text)
        if found:
            leaks[path.relative_to(site).as_posix()] = found
    assert leaks == {}


def test_event_pages_tell_search_engines_their_language(built):
    tag, site = built
    page = (site / "events" / "monthly-review" / "index.html").read_text(encoding="utf-8")
    data = json.loads(page.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert data["inLanguage"] == tag


def test_dates_are_written_in_the_languages_digits(built):
    tag, site = built
    text = " ".join(read_page(site / "events" / "monthly-review" / "index.html").parts)
    arabic_indic = re.findall("[٠-٩]", text)
    if tag == "ar-EG":
        assert len(arabic_indic) > 20 and not re.search("[0-9]{2}:[0-9]{2}", text)
    else:
        assert arabic_indic == []


def test_every_page_in_every_language_is_valid_html(tmp_path):
    """The Nu HTML Checker (vnu-jar, the W3C validator) finds no error in any page of any
    language (one run of the checker for all of them: it starts slowly)."""
    tags = [tag for tag in LANGUAGES if catalogue_path(tag) is not None]
    if not tags:
        pytest.skip("no catalogues")
    pages = sorted(str(p) for tag in tags
                   for p in sample_in(tag, tmp_path / tag).rglob("*.html"))
    jar = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    result = subprocess.run(["java", "-jar", str(jar), "--errors-only", "--format", "json", *pages],
                            capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    assert messages == [], json.dumps(messages[:5], indent=1, ensure_ascii=False)
    assert result.returncode == 0
