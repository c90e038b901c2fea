"""The one Atom writer (render/atom.py): what RFC 4287 requires of every feed the site offers.
Each feed's own content is tested where it is built; every .atom file of a real build is also
checked against the RFC's schema there."""
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone

from generator.render.atom import AtomEntry, atom_feed

A = "{http://www.w3.org/2005/Atom}"
WHEN = datetime(2027, 1, 5, 15, 15, tzinfo=timezone(timedelta(hours=1)))


def _feed(entries, **overrides):
    arguments = dict(feed_id="https://example.org/sessions.atom", title="Sessions & notes",
                     self_url="https://example.org/sessions.atom",
                     page_url="https://example.org/sessions/", author="Example <community>",
                     entries=entries, updated=WHEN)
    arguments.update(overrides)
    return ET.fromstring(atom_feed(**arguments))


def test_feed_has_what_rfc_4287_requires_and_dates_in_utc():
    root = _feed([AtomEntry("tag:example.org,2027:x", "Sprint <42>", WHEN,
                            "https://example.org/events/x/2027-01-05/", summary="a & b",
                            content_html="<p>Notes</p>", categories=("scrum",))])
    assert root.tag == A + "feed"
    for name in ("id", "title", "updated", "author"):
        assert root.find(A + name) is not None, name
    assert root.find(A + "updated").text == "2027-01-05T14:15:00Z"
    rels = {link.get("rel"): link.get("href") for link in root.findall(A + "link")}
    assert rels == {"self": "https://example.org/sessions.atom",
                    "alternate": "https://example.org/sessions/"}
    entry = root.find(A + "entry")
    assert entry.find(A + "title").text == "Sprint <42>"
    assert entry.find(A + "summary").text == "a & b"
    content = entry.find(A + "content")
    assert content.get("type") == "html" and content.text == "<p>Notes</p>"
    assert entry.find(A + "category").get("term") == "scrum"


def test_characters_xml_cannot_hold_are_dropped_not_written():
    root = _feed([AtomEntry("tag:example.org,2027:y", "bell\x07 here", WHEN, "https://e.org/")])
    assert root.find(A + "entry").find(A + "title").text == "bell here"


def test_same_input_same_bytes():
    entries = [AtomEntry("tag:example.org,2027:z", "Z", WHEN, "https://e.org/")]
    arguments = dict(feed_id="i", title="t", self_url="https://e.org/f.atom",
                     page_url="https://e.org/", author="a", entries=entries, updated=WHEN)
    assert atom_feed(**arguments) == atom_feed(**arguments)
