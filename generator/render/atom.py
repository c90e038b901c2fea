"""Atom feeds (RFC 4287): one writer for every feed the site offers, so each is valid the same way.

A feed reader polls these; each entry must keep its `id` for ever (a changed id is a new entry
to every reader), and `updated` must change only when the entry's meaning does, or readers
mark it unread again. Both are the caller's to choose; this module only writes them correctly:

- every date is RFC 3339 in UTC with a "Z" (4287 section 3.3);
- the feed has id, title, updated, an author (4287 requires one on the feed unless every
  entry has its own), a rel="self" link (the W3C validator warns without it) and an alternate
  link to the page it follows;
- text is escaped for XML, and characters XML 1.0 cannot hold at all are dropped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from xml.sax.saxutils import escape, quoteattr

ATOM_MEDIA_TYPE = "application/atom+xml"

# Characters XML 1.0 forbids even escaped (C0 controls but tab, newline, return; surrogates;
# U+FFFE/U+FFFF). Content is checked on the way in, so this is a last line, not a filter.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class AtomEntry:
    id: str  # a permanent IRI: a page address, or a tag: URI (RFC 4151) for what has no page
    title: str  # plain text
    updated: datetime  # aware
    link: str  # absolute address of the page the entry is about
    summary: str | None = None  # plain text
    content_html: str | None = None  # sanitised HTML, written as type="html"
    published: datetime | None = None  # aware
    categories: tuple[str, ...] = ()


def atom_date(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("", value))


def _attribute(value: str) -> str:
    return quoteattr(_NOT_XML.sub("", value))


def atom_feed(*, feed_id: str, title: str, self_url: str, page_url: str, author: str,
              entries: list[AtomEntry], updated: datetime, subtitle: str | None = None) -> bytes:
    """A whole Atom document. `updated`: when the feed last changed in meaning (the newest
    entry's update, or a fixed moment for an empty feed), never the build's clock, so an
    unchanged feed keeps its bytes."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<feed xmlns="http://www.w3.org/2005/Atom">',
             f"  <id>{_text(feed_id)}</id>",
             f"  <title>{_text(title)}</title>"]
    if subtitle:
        lines.append(f"  <subtitle>{_text(subtitle)}</subtitle>")
    lines += [f"  <updated>{atom_date(updated)}</updated>",
              f"  <author><name>{_text(author)}</name></author>",
              f'  <link rel="self" type="{ATOM_MEDIA_TYPE}" href={_attribute(self_url)}/>',
              f'  <link rel="alternate" type="text/html" href={_attribute(page_url)}/>']
    for entry in entries:
        lines += ["  <entry>",
                  f"    <id>{_text(entry.id)}</id>",
                  f"    <title>{_text(entry.title)}</title>",
                  f"    <updated>{atom_date(entry.updated)}</updated>"]
        if entry.published is not None:
            lines.append(f"    <published>{atom_date(entry.published)}</published>")
        lines.append(f'    <link rel="alternate" type="text/html" href={_attribute(entry.link)}/>')
        lines += [f"    <category term={_attribute(term)}/>" for term in entry.categories]
        if entry.summary:
            lines.append(f"    <summary>{_text(entry.summary)}</summary>")
        if entry.content_html:
            lines.append(f'    <content type="html">{_text(entry.content_html)}</content>')
        lines.append("  </entry>")
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")
