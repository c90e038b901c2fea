"""Event descriptions: Markdown from many hands -> sanitized HTML, plain text, and a summary.

Raw HTML in a description is allowed by Markdown, so every description passes through nh3 (the
Python binding of the Rust sanitizer ammonia) before it reaches a page. The plain text for
feeds and calendar apps is taken from that sanitized HTML, never from the source, so a
`<script>` an editor pasted reaches nothing.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

import markdown
import nh3
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

# A bare web address in running text, as editors paste it ("join at https://meet.jit.si/x").
_BARE_URL = r"(?<![(<\"'=\]])\bhttps?://[^\s<>()\[\]]*[^\s<>()\[\].,;:!?\"']"
_ALLOWED_TAGS = {"a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em",
                 "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "ol", "p",
                 "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead",
                 "tr", "ul"}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "img": {"src", "alt", "title"},
                       "td": {"align"}, "th": {"align"}}
_BLOCKS = {"p", "li", "br", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "tr", "dt", "dd",
           "hr", "table", "ul", "ol"}


class _BareUrlLinks(InlineProcessor):
    def handleMatch(self, match, data):
        link = etree.Element("a", {"href": match.group(0)})
        link.text = match.group(0)
        return link, match.start(0), match.end(0)


class _AutolinkExtension(Extension):
    def extendMarkdown(self, md):
        md.inlinePatterns.register(_BareUrlLinks(_BARE_URL, md), "bare_url", 5)


_converter = markdown.Markdown(extensions=["extra", "sane_lists", _AutolinkExtension()],
                               output_format="html")


@dataclass(frozen=True, slots=True)
class Description:
    html: str  # sanitized, safe to insert into a page
    text: str  # plain text with paragraphs, for calendar apps
    summary: str  # the first paragraph, cut to fit a list or a meta description


def markdown_to_html(text: str) -> str:
    """Markdown to HTML, sanitized: only harmless tags and attributes, http(s)/mailto links,
    and rel="noopener" on every link."""
    _converter.reset()
    return nh3.clean(_converter.convert(text), tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener")


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.href: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "li":
            self.parts.append("\n• ")
        elif tag in _BLOCKS:
            self.parts.append("\n\n" if tag == "p" else "\n")
        if tag == "a":
            self.href = dict(attrs).get("href")
            self.link_start = len(self.parts)

    def handle_endtag(self, tag):
        if tag == "a" and self.href:
            label = "".join(self.parts[self.link_start:]).strip()
            if self.href != label:
                self.parts.append(f" ({self.href})")
            self.href = None
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def html_to_text(html: str) -> str:
    collector = _TextCollector()
    collector.feed(html)
    text = "".join(collector.parts)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def summarize(text: str, limit: int = 160) -> str:
    """The first paragraph of plain text, cut at a word before `limit` characters."""
    paragraph = " ".join(next((p for p in text.split("\n\n") if p.strip()), "").split())
    if len(paragraph) <= limit:
        return paragraph
    cut = paragraph[:limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",.;:") + "…"


@lru_cache(maxsize=4096)
def describe_markdown(source: str) -> Description:
    html = markdown_to_html(source) if source.strip() else ""
    text = html_to_text(html)
    return Description(html=html, text=text, summary=summarize(text))
