"""Event descriptions: Markdown from many hands -> sanitized HTML, plain text, and a summary.

Markdown is rendered by cmark-gfm, GitHub's own renderer (through cmarkgfm), so a description
looks exactly as it did in GitHub's preview where editors write it (bare links, tables,
strikethrough included). Raw HTML in a description is allowed by Markdown, so every description
then passes through nh3 (the Python binding of the Rust sanitizer ammonia) before it reaches a
page. The plain text for feeds and calendar apps is taken from that sanitized HTML, never from
the source, so a `<script>` an editor pasted reaches nothing.
"""
from __future__ import annotations

import html as html_module
import re
from dataclasses import dataclass

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options

_ALLOWED_TAGS = {"a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em",
                 "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "input", "ins", "kbd", "li",
                 "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "th",
                 "thead", "tr", "ul"}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "img": {"src", "alt", "title"},
                       "td": {"align"}, "th": {"align"}, "input": {"type", "checked", "disabled"}}
# Raw HTML is kept by cmark (UNSAFE, and without GitHub's "tagfilter", which would turn
# <script> into visible text) so that the sanitizer decides what stays: nh3 removes a <script>
# or <style> with its content.
_CMARK_OPTIONS = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_SMART
_CMARK_EXTENSIONS = ("autolink", "strikethrough", "table", "tasklist")
_BLOCK_END = re.compile(r"</(p|h[1-6]|pre|blockquote|tr|dt|dd|table|ul|ol)>|<hr\s*/?>", re.I)
_LINE_BREAK = re.compile(r"<br\s*/?>", re.I)
_LIST_ITEM = re.compile(r"<li[^>]*>", re.I)
_LINK = re.compile(r'<a href="([^"]*)"[^>]*>(.*?)</a>', re.I | re.S)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True, slots=True)
class Description:
    html: str  # sanitized, safe to insert into a page
    text: str  # plain text with paragraphs, for calendar apps
    summary: str  # the first paragraph, cut to fit a list or a meta description


def markdown_to_html(text: str) -> str:
    """Markdown to HTML, sanitized: only harmless tags and attributes, http(s)/mailto links,
    and rel="noopener" on every link."""
    rendered = cmarkgfm.markdown_to_html_with_extensions(text, options=_CMARK_OPTIONS,
                                                         extensions=_CMARK_EXTENSIONS)
    return nh3.clean(rendered, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener")


def _link_text(match: re.Match) -> str:
    href, label = match.group(1), _TAG.sub("", match.group(2))
    return label if html_module.unescape(href) == html_module.unescape(label) else f"{label} ({href})"


def html_to_text(html: str) -> str:
    """Sanitized HTML to plain text: paragraphs and list items on their own lines, links as
    "label (address)"."""
    text = _LINK.sub(_link_text, " ".join(html.split()))  # HTML whitespace is one space
    text = _LIST_ITEM.sub("\n• ", text)
    text = _BLOCK_END.sub("\n\n", text)
    text = _LINE_BREAK.sub("\n", text)
    text = html_module.unescape(_TAG.sub("", text))
    lines = [" ".join(line.split()) for line in text.split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n\n(?=• )", "\n", text)  # list items sit together
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def summarize(text: str, limit: int = 160) -> str:
    """The first paragraph of plain text, cut at a word before `limit` characters."""
    paragraph = " ".join(next((p for p in text.split("\n\n") if p.strip()), "").split())
    if len(paragraph) <= limit:
        return paragraph
    cut = paragraph[:limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",.;:") + "…"


def render_description(source: str) -> Description:
    html = markdown_to_html(source) if source.strip() else ""
    text = html_to_text(html)
    return Description(html=html, text=text, summary=summarize(text))
