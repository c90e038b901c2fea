"""Event descriptions: Markdown to HTML, and a short plain-text summary for lists and feeds."""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

# A bare web address in running text, as editors paste it ("join at https://meet.jit.si/x").
_BARE_URL = r"(?<![(<\"'=\]])\bhttps?://[^\s<>()\[\]]*[^\s<>()\[\].,;:!?\"']"


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


def markdown_to_html(text: str) -> str:
    _converter.reset()
    return _converter.convert(text)


def plain_summary(text: str, limit: int = 160) -> str:
    """The first paragraph without Markdown punctuation, cut at a word before `limit` characters."""
    paragraph = next((p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()), "")
    plain = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", paragraph)  # [text](url) -> text
    plain = re.sub(r"[*_`#>]+", "", plain)
    plain = " ".join(plain.split())
    if len(plain) <= limit:
        return plain
    cut = plain[:limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",.;:") + "…"
