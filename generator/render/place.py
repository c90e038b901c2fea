"""Where an event meets, as pages, calendars and search engines state it: one module, so that
the page, the ICS and the JSON-LD say the same place the same way."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from ..content.location import country_names
from ..model import Event, Place
from .language import Language, language_for


def attendance_words(attendance: str, language: Language) -> str:
    """The words lists and pages use for each attendance mode (Event.attendance)."""
    if attendance == "in_person":
        return language.gettext("In person")
    if attendance == "hybrid":
        return language.gettext("Hybrid")
    return language.gettext("Online")

# schema.org's eventAttendanceMode for each (https://schema.org/EventAttendanceModeEnumeration).
ATTENDANCE_MODES = {"in_person": "https://schema.org/OfflineEventAttendanceMode",
                    "hybrid": "https://schema.org/MixedEventAttendanceMode",
                    "online": "https://schema.org/OnlineEventAttendanceMode"}
# Where tzdata's short name reads oddly on an address: "Britain (UK)".
_ADDRESS_NAMES = {"GB": "United Kingdom"}
MAP_ZOOM = 17  # a street and its neighbours: enough to find the door


def coordinate(value: float) -> str:
    """A latitude or longitude as written everywhere (page link, GEO, JSON-LD stays a number):
    at most six decimals (about 10 cm), no trailing zeros, so the output is byte-stable."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def map_link(place: Place) -> str:
    """OpenStreetMap at the place: a pin at its coordinates, else a search for its address.
    A link, not an embedded map: no third-party script or frame, and the CSP stays as it is."""
    if place.geo is not None:
        lat, lon = (coordinate(v) for v in place.geo)
        return (f"https://www.openstreetmap.org/?{urlencode({'mlat': lat, 'mlon': lon})}"
                f"#map={MAP_ZOOM}/{lat}/{lon}")
    query = ", ".join([*place.address, *filter(None, (place.locality, place.country))])
    return "https://www.openstreetmap.org/search?" + urlencode({"query": query}, quote_via=quote)


def list_mark(event: Event, language: Language | None = None) -> str | None:
    """What a list says beside an occurrence: "In person · Leeds", "Hybrid · Leeds", "Hybrid";
    nothing for an online event (every event was online before places existed)."""
    if event.place is None:
        return None
    words = attendance_words(event.attendance, language or language_for())
    return f"{words} · {event.place.locality}" if event.place.locality else words


@dataclass(frozen=True, slots=True)
class PlaceView:
    name: str
    lines: tuple[str, ...]  # address lines, then the town and the country's name
    notes: str | None
    map_link: str
    map_label: str  # "Map (OpenStreetMap)" or "Find on OpenStreetMap": a pin, or a search
    attendance: str  # "In person" or "Hybrid: in person and online"


def place_view(event: Event, language: Language | None = None) -> PlaceView | None:
    place = event.place
    if place is None:
        return None
    language = language or language_for()
    town = ", ".join(filter(None, (place.locality, _country_name(place.country, language))))
    return PlaceView(
        name=place.name, lines=place.address + ((town,) if town else ()), notes=place.notes,
        map_link=map_link(place),
        map_label=(language.gettext("Map (OpenStreetMap)") if place.geo
                   else language.gettext("Find it on OpenStreetMap")),
        attendance=(language.gettext("Hybrid: in person and online")
                    if event.attendance == "hybrid" else language.gettext("In person")))


def _country_name(code: str | None, language: Language) -> str | None:
    """The country's name in the site's language (CLDR's), in English as tzdata has it."""
    if code is None:
        return None
    if not language.house_english:
        name = language.locale.territories.get(code)
        if name:
            return name
    return _ADDRESS_NAMES.get(code) or country_names().get(code)


def schema_place(place: Place) -> dict:
    """schema.org Place with its PostalAddress (and GeoCoordinates when given): what Google's
    event results require of an event's location (a Place needs an address)."""
    address = {"@type": "PostalAddress", "streetAddress": ", ".join(place.address)}
    if place.locality:
        address["addressLocality"] = place.locality
    if place.country:
        address["addressCountry"] = place.country
    data = {"@type": "Place", "name": place.name, "address": address}
    if place.geo is not None:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": place.geo[0],
                       "longitude": place.geo[1]}
    return data


def feed_location(place: Place | None) -> dict | None:
    """The place as events.json gives it (docs/feed.md)."""
    if place is None:
        return None
    return {"name": place.name, "address": list(place.address), "locality": place.locality,
            "country": place.country, "geo": list(place.geo) if place.geo else None,
            "notes": place.notes}
