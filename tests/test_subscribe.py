"""Subscribe per calendar app: every page that offers a calendar has a menu whose links, once
parsed and decoded, lead each app back to exactly that calendar's address; /subscribe/ has the
site's calendar and every category's and project's; each app says how often it looks again."""
import shutil
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import SAMPLE_CONTENT, SAMPLE_NOW, build, write_event
from pagetools import find_all, parse_page

BASE = "https://events.harbourcode.example"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("subscribe")
    shutil.copytree(SAMPLE_CONTENT, root / "content")
    assert build(root / "content", root / "public", SAMPLE_NOW).ok
    return root / "public"


def menus(page) -> list[dict]:
    """Each subscribe menu of a page: {app link words: href}, the address shown to copy, and
    the words of each option."""
    found = []
    for menu in find_all(parse_page(page), "details", cls="subscribe-menu"):
        links = {a.text: a.attrs["href"] for a in _descendants(menu) if a.tag == "a"}
        address = [e.attrs["value"] for e in _descendants(menu) if e.tag == "input"]
        options = [li.text for li in _descendants(menu) if li.tag == "li"]
        found.append({"links": links, "address": address, "options": options})
    return found


def _descendants(element):
    for child in element.children:
        yield child
        yield from _descendants(child)


def calendar_of_each_link(links: dict[str, str], origin: str = BASE) -> dict[str, str]:
    """What each app is asked to subscribe to, decoded from its link, as an https address
    (the download link is a path on the site at `origin`)."""
    found = {}
    for words, href in links.items():
        parts = urlsplit(href)
        if parts.netloc == "calendar.google.com":
            assert parts.path == "/calendar/render"
            (cid,) = parse_qs(parts.query, strict_parsing=True)["cid"]
            assert cid.startswith("webcal://")  # Google takes the webcal form
            found["google"] = "https://" + cid.removeprefix("webcal://")
        elif parts.netloc in ("outlook.live.com", "outlook.office.com"):
            assert parts.path == "/calendar/0/addfromweb"
            query = parse_qs(parts.query, strict_parsing=True)
            assert set(query) == {"url", "name"} and query["name"][0]
            found[parts.netloc] = query["url"][0]  # Outlook on the web takes https://
        elif parts.scheme == "webcal":
            found["apple"] = "https://" + href.removeprefix("webcal://")
        elif href.endswith(".ics"):
            found["download"] = origin + href
    return found


APPS = {"google", "apple", "outlook.live.com", "outlook.office.com", "download"}


@pytest.mark.parametrize("page, calendar", [
    ("events/euroasia-scrum/index.html", "/events/euroasia-scrum/event.ics"),
    ("events/index.html", "/events.ics"),
    ("categories/scrum/index.html", "/categories/scrum/events.ics"),
    ("projects/websiteone/index.html", "/projects/websiteone/events.ics"),
])
def test_each_app_link_decodes_back_to_the_pages_own_calendar(site, page, calendar):
    (menu,) = menus(site / page)
    decoded = calendar_of_each_link(menu["links"])
    assert set(decoded) == APPS
    assert set(decoded.values()) == {BASE + calendar}
    assert menu["address"] == [BASE + calendar]
    assert (site / calendar.lstrip("/")).is_file()


def test_outlook_gets_the_calendars_name(site):
    (menu,) = menus(site / "categories" / "scrum" / "index.html")
    outlook = next(href for href in menu["links"].values() if "outlook.live.com" in href)
    assert parse_qs(urlsplit(outlook).query)["name"] == ["Harbour Code Collective: Scrum"]


def test_menu_says_how_often_each_app_looks_and_that_a_download_never_updates(site):
    (menu,) = menus(site / "events" / "euroasia-scrum" / "index.html")
    options = " | ".join(menu["options"])
    assert "Google looks for changes every 12 to 24 hours" in options
    assert "Outlook on the web looks about every 3 hours" in options
    assert "As often as you choose when you subscribe" in options  # Apple
    assert "Thunderbird: copy the address below" in options
    assert "Outlook for Windows or Mac: copy the address below" in options
    assert "it never updates" in options


def test_subscribe_page_offers_the_site_calendar_and_every_category_and_project(site):
    page = site / "subscribe" / "index.html"
    elements = parse_page(page)
    (full,) = find_all(elements, "dl", cls="subscribe-apps")
    links = {a.text: a.attrs["href"] for a in _descendants(full) if a.tag == "a"}
    assert set(calendar_of_each_link(links).values()) == {BASE + "/events.ics"}
    assert set(calendar_of_each_link(links)) == APPS
    inner = {urlsplit(addr).path for m in menus(page) for addr in m["address"]}
    assert inner == {"/categories/scrum/events.ics", "/categories/pair-programming/events.ics",
                     "/categories/meeting/events.ics", "/categories/client-meeting/events.ics",
                     "/projects/websiteone/events.ics", "/projects/localsupport/events.ics",
                     "/projects/edtech-pathways/events.ics"}
    for m in menus(page):
        assert set(calendar_of_each_link(m["links"]).values()) == set(m["address"])


def test_header_and_footer_link_to_the_subscribe_page(site):
    elements = parse_page(site / "index.html")
    (nav,) = find_all(elements, "nav", cls="site-nav")
    assert {a.text: a.attrs["href"] for a in nav.children}["Subscribe"] == "/subscribe/"
    (footer,) = find_all(elements, "footer")
    assert "/subscribe/" in [a.attrs["href"] for a in _descendants(footer) if a.tag == "a"]


def test_links_of_a_site_under_a_path_and_with_other_scripts_stay_exact(content_dir, output_dir):
    (content_dir / "site.toml").write_text(
        'title = "Café & Co"\nbase_url = "https://example.org/community/"\n', encoding="utf-8")
    write_event(content_dir, "日本語", """
        title = "Tokyo & friends"
        category = "meeting"
        timezone = "Asia/Tokyo"
        start = 2027-02-01T09:00:00
        duration = 30
        rrule = "FREQ=WEEKLY"
    """)
    assert build(content_dir, output_dir, SAMPLE_NOW).ok
    (menu,) = menus(output_dir / "events" / "日本語" / "index.html")
    expected = "https://example.org/community/events/%E6%97%A5%E6%9C%AC%E8%AA%9E/event.ics"
    assert calendar_of_each_link(menu["links"], "https://example.org") == dict.fromkeys(APPS, expected)
    assert menu["address"] == [expected]
    outlook = next(href for href in menu["links"].values() if "outlook.live.com" in href)
    assert parse_qs(urlsplit(outlook).query)["name"] == ["Tokyo & friends"]
