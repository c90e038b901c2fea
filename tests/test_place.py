"""Where an event meets ([location]) and where people RSVP (rsvp_url): checked like every field,
shown on pages and lists, written into the ICS (read back with ical.js and icalendar), the
JSON-LD (held to Google's event lists) and events.json (held to its schema)."""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import icalendar
import jsonschema
import pytest

from conftest import ROOT, SAMPLE_NOW, build, write_event
from generator.build.pipeline import check_content
from generator.cli import parse_now
from pagetools import find_all, parse_page

NOW = "2027-01-20T12:00:00Z"
SCHEMA = json.loads((ROOT / "docs" / "events.schema.json").read_text())

BASE = '''
title = "Leeds Meetup"
category = "meeting"
timezone = "Europe/London"
start = 2027-02-04T18:30:00
duration = 150
'''
PLACE = '''
[location]
name = "Central Library, Room 3"
address = ["Calverley Street", "LS1 3AB"]
locality = "Leeds"
country = "GB"
geo = [53.8004, -1.5487]
notes = "Second floor, past the lifts"
'''


@pytest.fixture(autouse=True)
def _run_in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # files are named relative to where the command runs


def checked(content_dir, front_matter):
    write_event(content_dir, "ev", front_matter)
    return check_content(content_dir, parse_now(NOW))


def problems(content_dir, front_matter) -> list[str]:
    return [str(p) for p in checked(content_dir, front_matter).problems]


# --- reading [location] and rsvp_url ------------------------------------------------------------

def test_a_full_location_becomes_the_events_place(content_dir):
    result = checked(content_dir, BASE + PLACE)
    assert result.ok, [str(p) for p in result.problems]
    place = result.events[0].place
    assert (place.name, place.address, place.locality, place.country, place.geo, place.notes) == (
        "Central Library, Room 3", ("Calverley Street", "LS1 3AB"), "Leeds", "GB",
        (53.8004, -1.5487), "Second floor, past the lifts")
    assert result.events[0].attendance == "in_person"


def test_address_may_be_one_line_of_text(content_dir):
    result = checked(content_dir, BASE + '[location]\nname = "Hall"\naddress = "1 High Street"')
    assert result.ok and result.events[0].place.address == ("1 High Street",)


@pytest.mark.parametrize("url,attendance", [(None, "in_person"),
                                            ("https://meet.jit.si/X", "hybrid")])
def test_a_place_with_a_join_link_is_hybrid_without_one_in_person(content_dir, url, attendance):
    text = BASE + (f'url = "{url}"\n' if url else "") + PLACE
    assert checked(content_dir, text).events[0].attendance == attendance


def test_an_event_with_no_place_stays_online(content_dir):
    assert checked(content_dir, BASE).events[0].attendance == "online"


def test_every_location_problem_is_reported_at_once_each_at_its_line(content_dir):
    found = problems(content_dir, BASE + '''
[location]
nmae = "Hall"
address = []
country = "United Kingdom"
geo = [-1.5487, 253.8004]
notes = 5
''')
    assert found == [
        "content/events/ev.md:8:2: location: name is missing in [location]; add name = \"...\" "
        "(the venue, as its sign says)",
        'content/events/ev.md:9:8: location.nmae: unknown field "nmae" in [location]; '
        'did you mean "name"?',
        'content/events/ev.md:10:11: location.address: the address has no line; write '
        'address = "12 Station Road"',
        'content/events/ev.md:11:11: location.country: "United Kingdom" is not a two-letter '
        'country code (ISO 3166-1); write country = "GB" for United Kingdom',
        "content/events/ev.md:12:7: location.geo: the longitude 253.8004 is out of range: it "
        "must be from -180 to 180; copy both numbers from the map: latitude first, then "
        "longitude",
        'content/events/ev.md:13:9: location.notes: must be text in quotes, not 5; write '
        'notes = "..."',
    ]


def test_swapped_coordinates_are_caught_with_the_swap_as_hint(content_dir):
    found = problems(content_dir, BASE + PLACE.replace("[53.8004, -1.5487]", "[151.2, -33.86]"))
    assert found == ["content/events/ev.md:13:7: location.geo: the latitude 151.2 is out of "
                     "range: it must be from -90 to 90; latitude comes first: write geo = "
                     "[-33.86, 151.2]"]


@pytest.mark.parametrize("geo", ['"53.8, -1.5"', "[53.8]", "[53.8, -1.5, 0]", "[true, false]",
                                 '["53.8", "-1.5"]'])
def test_geo_must_be_two_numbers(content_dir, geo):
    found = problems(content_dir, BASE + PLACE.replace("[53.8004, -1.5487]", geo))
    assert len(found) == 1 and "must be a list of two numbers, [latitude, longitude]" in found[0]


@pytest.mark.parametrize("geo", ["[nan, 0]", "[0, inf]", "[90.0001, 0]", "[0, -180.5]"])
def test_geo_outside_the_globe_is_refused(content_dir, geo):
    found = problems(content_dir, BASE + PLACE.replace("[53.8004, -1.5487]", geo))
    assert len(found) == 1 and "is out of range" in found[0], found


@pytest.mark.parametrize("country,hint", [
    ("gb", 'write it in capitals: country = "GB"'),
    ("Germany", 'write country = "DE" for Germany'),
    ("Germny", 'write country = "DE" for Germany'),
    ("UK", 'write country = "GB" for UK'),
    ("XX", 'write the two-letter code, like "GB", "DE" or "US"'),
])
def test_country_must_be_an_iso_code_and_the_hint_finds_it(content_dir, country, hint):
    found = problems(content_dir, BASE + PLACE.replace('"GB"', f'"{country}"'))
    assert len(found) == 1 and found[0].endswith(hint), found


def test_location_written_as_text_asks_for_the_table(content_dir):
    found = problems(content_dir, BASE + 'location = "Room 4"')
    assert found == ["content/events/ev.md:7:12: location: must be a [location] table, not "
                     "'Room 4'; write [location] on its own line after the other fields, then "
                     'name = "..." and address = "..." below it']


def test_a_line_break_in_an_address_line_is_refused_as_in_any_setting(content_dir):
    found = problems(content_dir, BASE + PLACE.replace('"LS1 3AB"', '"LS1\\n3AB"'))
    assert len(found) == 1 and "LINE FEED" in found[0] and "location.address[1]" in found[0]


@pytest.mark.parametrize("url,message", [
    ("http://www.meetup.com/x/", '"http://www.meetup.com/x/" is not secure (http://); use its '
                                 "https:// address: people give their names there"),
    ("meetup.com/x", '"meetup.com/x" is not a web address; write the full address of the RSVP '
                     'page, like "https://www.meetup.com/our-group/events/123/"'),
])
def test_rsvp_url_must_be_an_https_address(content_dir, url, message):
    found = problems(content_dir, BASE + f'rsvp_url = "{url}"')
    assert found == [f"content/events/ev.md:7:12: rsvp_url: {message}"]


# --- what the build writes ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("place") / "public"
    result = build(ROOT / "content", output, SAMPLE_NOW)
    assert result.ok, [str(p) for p in result.problems]
    return output


def place_section(page: Path):
    return next(e for e in find_all(parse_page(page), "section") if "place" in e.classes())


def test_event_page_shows_the_place_its_notes_and_a_pin_on_openstreetmap(sample):
    section = place_section(sample / "events" / "leeds-meetup" / "index.html")
    assert "In person" in section.text and "Leeds Central Library, Room 3" in section.text
    assert "Calverley Street" in section.text and "Leeds, United Kingdom" in section.text
    assert "Room 3 is on the second floor" in section.text
    link = next(a for a in find_all(_descendants(section), "a"))
    assert link.attrs["href"] == ("https://www.openstreetmap.org/?mlat=53.8004&mlon=-1.5487"
                                  "#map=17/53.8004/-1.5487")


def test_a_place_without_coordinates_links_to_an_openstreetmap_search_of_its_address(sample):
    section = place_section(sample / "events" / "town-hall" / "index.html")
    assert "Hybrid: in person and online" in section.text
    link = next(a for a in find_all(_descendants(section), "a"))
    parts = urlsplit(link.attrs["href"])
    assert (parts.netloc, parts.path) == ("www.openstreetmap.org", "/search")
    assert parse_qs(parts.query)["query"] == ["Station Approach, Temple Meads, BS1 6QH, "
                                              "Bristol, GB"]


def test_place_pages_load_no_map_frame_and_no_script_from_elsewhere(sample):
    """The CSP (script-src 'self', netlify.toml) stays as it is: a link, never an embed."""
    for slug in ("leeds-meetup", "town-hall"):
        elements = parse_page(sample / "events" / slug / "index.html")
        assert not find_all(elements, "iframe") and not find_all(elements, "img")
        sources = [s.attrs.get("src") for s in find_all(elements, "script") if s.attrs.get("src")]
        assert sources and all(src.startswith("/static/") for src in sources), sources


def test_rsvp_button_names_the_site_it_leads_to(sample):
    elements = parse_page(sample / "events" / "leeds-meetup" / "index.html")
    rsvp = [a for a in find_all(elements, "a") if a.text.startswith("RSVP")]
    assert [(a.text, a.attrs["href"]) for a in rsvp] == [
        ("RSVP on www.meetup.com", "https://www.meetup.com/harbour-code-leeds/")]


def test_lists_mark_in_person_and_hybrid_occurrences_and_not_online_ones(sample):
    marks = {}
    for item in find_all(parse_page(sample / "events" / "index.html"), "li", "occurrence"):
        mark = [e.text for e in find_all(_descendants(item), "span", "place-mark")]
        marks.setdefault(item.attrs["data-event"], set()).update(mark or ["(none)"])
    assert marks["leeds-meetup"] == {"In person · Leeds"}
    assert marks["town-hall"] == {"Hybrid · Bristol"}
    assert marks["euroasia-scrum"] == {"(none)"}


def _descendants(element):
    found = [element]
    for child in element.children:
        found += _descendants(child)
    return found


# --- ICS -------------------------------------------------------------------------------------

def icaljs_properties(ics: Path) -> list[dict]:
    result = subprocess.run(["node", str(ROOT / "tests" / "js" / "ical_properties.mjs"), str(ics)],
                            capture_output=True, text=True, timeout=120, check=True)
    return json.loads(result.stdout)


def test_ics_location_and_geo_read_back_the_same_in_icaljs_and_icalendar(sample):
    ics = sample / "events" / "leeds-meetup" / "event.ics"
    expected = ("Leeds Central Library, Room 3, Calverley Street, LS1 3AB, Leeds, GB")
    for vevent in icaljs_properties(ics):
        assert vevent["location"] == expected
        assert vevent["geo"] == [53.8004, -1.5487]
    calendar = icalendar.Calendar.from_ical(ics.read_bytes())
    for vevent in calendar.walk("VEVENT"):
        assert str(vevent["LOCATION"]) == expected
        assert (vevent["GEO"].latitude, vevent["GEO"].longitude) == (53.8004, -1.5487)
    assert "LOCATION:Leeds Central Library\\, Room 3\\, Calverley" in ics.read_text()


def test_hybrid_ics_keeps_the_join_link_beside_the_place(sample):
    ics = sample / "events" / "town-hall" / "event.ics"
    for vevent in icaljs_properties(ics):
        assert vevent["location"].startswith("Engine Shed, Station Approach")
        assert vevent["geo"] is None
        assert "Join: https://meet.jit.si/HarbourCode_TownHall" in vevent["description"]
        # The series' page; a restated session (RECURRENCE-ID), the session's own page.
        page = "https://events.harbourcode.example/events/town-hall/"
        assert vevent["url"] == (page + "2026-12-12/" if vevent["recurrence"] else page)


def test_ics_escapes_text_in_a_place_per_rfc_5545(content_dir, output_dir):
    write_event(content_dir, "ev", BASE + '[location]\nname = "Hall; East, Wing \\\\ 2"\n'
                'address = "1 High Street"')
    assert build(content_dir, output_dir, NOW).ok
    text = (output_dir / "events" / "ev" / "event.ics").read_bytes().decode("utf-8")
    assert "LOCATION:Hall\\; East\\, Wing \\\\ 2\\, 1 High Street\r\n" in text
    assert [v["location"] for v in icaljs_properties(output_dir / "events" / "ev" / "event.ics")
            ] == ["Hall; East, Wing \\ 2, 1 High Street"]


# --- JSON-LD ---------------------------------------------------------------------------------

# Google Search Central, "Event (Event) structured data":
# https://developers.google.com/search/docs/appearance/structured-data/event
GOOGLE_REQUIRED = ("name", "startDate", "location")  # and location.address for a Place
GOOGLE_RECOMMENDED = ("description", "endDate", "eventAttendanceMode", "eventStatus", "image",
                      "offers", "organizer", "performer", "previousStartDate")
# What Nextup can honestly fill (image: the event's own, else the site's default_image, which
# the sample site has). Not filled: offers (an Offer states a price and availability, which
# Nextup does not know; rsvp_url is a link, not an offer), performer (a meetup's speakers change
# every time, and no field says who they are; a session page names its hosts), previousStartDate
# (only when the occurrence shown was moved: tests/test_session_feeds.py).
FILLED = ("description", "endDate", "eventAttendanceMode", "eventStatus", "image", "organizer")


def json_ld(page: Path) -> dict:
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page.read_text(), re.S)
    return json.loads(block.group(1))


@pytest.mark.parametrize("slug", ["leeds-meetup", "town-hall"])
def test_in_person_and_hybrid_json_ld_meets_googles_required_and_filled_properties(sample, slug):
    data = json_ld(sample / "events" / slug / "index.html")
    for name in GOOGLE_REQUIRED + FILLED:
        assert data.get(name), (slug, name)
    assert set(FILLED) <= set(GOOGLE_RECOMMENDED)
    places = [p for p in (data["location"] if isinstance(data["location"], list)
                          else [data["location"]]) if p["@type"] == "Place"]
    assert len(places) == 1 and places[0]["name"]
    address = places[0]["address"]
    assert address["@type"] == "PostalAddress" and address["streetAddress"]
    assert address["addressLocality"] and address["addressCountry"] == "GB"
    assert data["organizer"]["name"] and data["organizer"]["url"]
    assert "offers" not in data


def test_in_person_json_ld_is_one_place_with_coordinates_and_offline_attendance(sample):
    data = json_ld(sample / "events" / "leeds-meetup" / "index.html")
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"] == {
        "@type": "Place", "name": "Leeds Central Library, Room 3",
        "address": {"@type": "PostalAddress", "streetAddress": "Calverley Street, LS1 3AB",
                    "addressLocality": "Leeds", "addressCountry": "GB"},
        "geo": {"@type": "GeoCoordinates", "latitude": 53.8004, "longitude": -1.5487}}


def test_hybrid_json_ld_is_a_place_and_a_virtual_location_with_mixed_attendance(sample):
    data = json_ld(sample / "events" / "town-hall" / "index.html")
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert [p["@type"] for p in data["location"]] == ["Place", "VirtualLocation"]
    assert data["location"][1]["url"] == "https://meet.jit.si/HarbourCode_TownHall"


def test_online_json_ld_is_unchanged(sample):
    data = json_ld(sample / "events" / "euroasia-scrum" / "index.html")
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"]["@type"] == "VirtualLocation"


# --- events.json -----------------------------------------------------------------------------

def test_feed_gives_each_events_attendance_location_and_rsvp_url(sample):
    feed = json.loads((sample / "events.json").read_text())
    jsonschema.validate(feed, SCHEMA, format_checker=jsonschema.FormatChecker())
    meetup, hall, scrum = (feed["events"][s] for s in ("leeds-meetup", "town-hall",
                                                       "euroasia-scrum"))
    assert (meetup["attendance"], hall["attendance"], scrum["attendance"]) == (
        "in_person", "hybrid", "online")
    assert meetup["location"] == {
        "name": "Leeds Central Library, Room 3", "address": ["Calverley Street", "LS1 3AB"],
        "locality": "Leeds", "country": "GB", "geo": [53.8004, -1.5487],
        "notes": "Use the Calverley Street entrance; Room 3 is on the second floor, past the "
                 "lifts."}
    assert meetup["rsvp_url"] == "https://www.meetup.com/harbour-code-leeds/"
    assert scrum["location"] is None and scrum["rsvp_url"] is None


@pytest.mark.parametrize("change", [
    lambda e: e["location"].update(geo=[95, 0]),
    lambda e: e["location"].update(country="gb"),
    lambda e: e["location"].update(address=[]),
    lambda e: e.update(attendance="remote"),
    lambda e: e.update(rsvp_url="http://www.meetup.com/x/"),
], ids=["latitude", "country", "address", "attendance", "rsvp-http"])
def test_schema_rejects_a_wrong_location_or_attendance(sample, change):
    feed = json.loads((sample / "events.json").read_text())
    change(feed["events"]["leeds-meetup"])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(feed, SCHEMA)
