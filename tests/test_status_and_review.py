"""A whole event cancelled or postponed (status, reason), and series someone must confirm
(review_by): what pages, feeds, calendars, JSON-LD and check say about them."""
from __future__ import annotations

import json
import re

import pytest

from conftest import build, run_cli, write_event

NOW = "2027-01-20T12:00:00Z"


def weekly(content_dir, slug, extra="", category="scrum"):
    extra = extra.replace("\n", "\n        ")  # each line indented as write_event dedents
    write_event(content_dir, slug, f'''
        title = "{slug.replace("-", " ").title()}"
        category = "{category}"
        timezone = "Europe/London"
        start = 2027-01-04T07:00:00
        duration = 25
        rrule = "FREQ=WEEKLY;BYDAY=MO,WE"
        {extra}
        ''')


def json_ld(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">\s*(.*?)\s*</script>',
                                html, re.S)[1])


@pytest.mark.parametrize("status,schema", [("cancelled", "EventCancelled"),
                                           ("postponed", "EventPostponed")])
def test_a_cancelled_or_postponed_event_keeps_its_page_and_leaves_lists_and_countdowns(
        content_dir, output_dir, status, schema):
    weekly(content_dir, "old-scrum", f'status = "{status}"\nreason = "We merged into the Daily."')
    weekly(content_dir, "daily-scrum")
    assert build(content_dir, output_dir, NOW).ok
    page = (output_dir / "events/old-scrum/index.html").read_text(encoding="utf-8")
    assert f"<strong>{status.capitalize()}:</strong> We merged into the Daily." in page
    assert "This event has no upcoming dates." in page
    data = json_ld(page)
    assert data["eventStatus"] == f"https://schema.org/{schema}"
    assert data["startDate"].startswith("2027-01-25T07:00:00")  # the date it would have had
    feed = json.loads((output_dir / "events.json").read_text(encoding="utf-8"))
    assert feed["events"]["old-scrum"]["status"] == status
    assert feed["events"]["old-scrum"]["reason"] == "We merged into the Daily."
    assert {o["event"] for o in feed["occurrences"]} == {"daily-scrum"}
    assert "status" not in feed["events"]["daily-scrum"]
    countdown = json.loads((output_dir / "countdown.json").read_text(encoding="utf-8"))
    assert {o["event"] for o in countdown["occurrences"]} == {"daily-scrum"}
    for listing in ("index.html", "events/index.html", "categories/scrum/index.html"):
        assert "/events/old-scrum/" not in (output_dir / listing).read_text(encoding="utf-8")
    ics = (output_dir / "events/old-scrum/event.ics").read_text(encoding="utf-8")
    assert "STATUS:CANCELLED" in ics
    assert f"DESCRIPTION:{status.capitalize()}: We merged into the Daily." in ics
    assert "STATUS:CONFIRMED" in (output_dir / "events/daily-scrum/event.ics").read_text(
        encoding="utf-8")


def test_a_cancelled_event_gets_no_ended_or_beyond_the_horizon_warning(content_dir):
    weekly(content_dir, "over", 'status = "cancelled"\nreason = "Done."')
    result = run_cli("check", "--content", str(content_dir), "--now", "2030-01-01T00:00:00Z")
    assert result.returncode == 0 and result.stderr == "", result.stderr


def test_status_needs_a_reason_and_a_reason_needs_a_status(content_dir):
    weekly(content_dir, "no-reason", 'status = "cancelled"')
    weekly(content_dir, "no-status", 'reason = "Because."')
    weekly(content_dir, "typo", 'status = "canceled"\nreason = "Because."')
    result = run_cli("check", "--content", str(content_dir), "--now", NOW)
    assert result.returncode == 1
    assert "no-reason.md:8:10: status: needs a reason" in result.stderr
    assert "no-status.md:8:10: reason: a reason needs a status" in result.stderr
    assert ('typo.md:8:10: status: must be "cancelled" or "postponed", not \'canceled\'; did '
            'you mean "cancelled"?') in result.stderr


def test_review_by_warns_and_the_page_says_so_once_the_date_has_passed(content_dir, output_dir):
    weekly(content_dir, "book-club", "review_by = 2027-01-19", category="meeting")
    result = run_cli("check", "--content", str(content_dir), "--now", NOW)
    assert result.returncode == 0
    assert ("book-club.md:8:13: warning: review_by: not confirmed since 19 January 2027; if it "
            "still meets, move review_by forward; if not, delete the file or set status"
            ) in result.stderr
    assert build(content_dir, output_dir, NOW).ok
    page = (output_dir / "events/book-club/index.html").read_text(encoding="utf-8")
    assert "Not confirmed since 19 January 2027" in page
    # On the date itself it is still confirmed.
    assert build(content_dir, output_dir, "2027-01-19T23:00:00Z").ok
    page = (output_dir / "events/book-club/index.html").read_text(encoding="utf-8")
    assert "Not confirmed" not in page


def test_review_by_passes_at_midnight_in_the_site_s_zone_not_utc(content_dir):
    """--now 2027-01-19T23:30Z is already 20 January in Auckland: the date has passed there."""
    (content_dir / "site.toml").write_text('timezone = "Pacific/Auckland"\n', encoding="utf-8")
    weekly(content_dir, "book-club", "review_by = 2027-01-19", category="meeting")
    late = run_cli("check", "--content", str(content_dir), "--now", "2027-01-19T11:30:00Z")
    assert "not confirmed since" in late.stderr  # 00:30 on the 20th in Auckland
    early = run_cli("check", "--content", str(content_dir), "--now", "2027-01-19T10:30:00Z")
    assert "not confirmed since" not in early.stderr  # 23:30 on the 19th there


def test_review_by_must_be_a_date(content_dir):
    weekly(content_dir, "quoted", 'review_by = "2027-06-30"')
    weekly(content_dir, "moment", "review_by = 2027-06-30T12:00:00")
    result = run_cli("check", "--content", str(content_dir), "--now", NOW)
    assert result.returncode == 1
    assert "quoted.md:8:13: review_by: must be a date like 2027-06-30, not '2027-06-30'" in result.stderr
    assert "moment.md:8:13: review_by: must be a date like 2027-06-30, not a date-time" in result.stderr
