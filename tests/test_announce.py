"""`build.py announce`: chat announcements from the published feed, once per occurrence.

Every test posts to tests/announce_server.py on 127.0.0.1, which records what arrives and plays
Slack, Discord, a Matrix homeserver, the site (events.json) and the GitHub Actions API."""
from __future__ import annotations

import io
import json
import random
import re
import socket
from argparse import Namespace
from collections import Counter
from contextlib import redirect_stderr, redirect_stdout
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from announce_server import REPOSITORY, FakeServices, Reply
from conftest import ROOT, SAMPLE_CONTENT, build, run_cli
from generator.cli import parse_now
from generator.tools import actions_runs, webhooks
from generator.tools.announce import DEFAULT_WINDOW, EXIT_NOT_DELIVERED, run_announce

DAY = datetime(2027, 3, 10, tzinfo=timezone.utc)
ROOM = "!harbour:example.org"
SITE = '''title = "Harbour Code Collective"
base_url = "{base}/"
categories = ["scrum", "pair-programming", "meeting"]

[announce]
lead_minutes = 10
categories = ["scrum"]
events = ["town-hall"]
message = "{{title}} ({{time}}) {{starts}}: join {{url}}"
'''
# Slack, Discord and Matrix messages all start "<title> (<HH:MM> UTC) <starts...>".
SAID = re.compile(r"^(?P<title>.+?) \((?P<time>\d\d:\d\d) UTC\) (?:starts in|is starting|started)")


def z(moment: datetime) -> str:
    return f"{moment:%Y-%m-%dT%H:%M:%SZ}"


@pytest.fixture()
def services(monkeypatch):
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    fake = FakeServices().start()
    yield fake
    fake.stop()


def closed_port() -> int:
    """A port nothing listens on: a webhook that is down (connection refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(services: FakeServices, run_id: int | None = None, discord: str | None = None):
    env = {"NEXTUP_SLACK_WEBHOOK_URL": services.base + "/slack",
           "NEXTUP_DISCORD_WEBHOOK_URL": discord or services.base + "/discord",
           "NEXTUP_MATRIX_HOMESERVER": services.base, "NEXTUP_MATRIX_ROOM_ID": ROOM,
           "NEXTUP_MATRIX_ACCESS_TOKEN": "syt_secret"}
    if run_id is not None:
        env.update(GITHUB_API_URL=services.base, GITHUB_REPOSITORY=REPOSITORY,
                   GITHUB_RUN_ID=str(run_id), GITHUB_TOKEN="ghs_token")
    return env


def content(tmp_path: Path, services: FakeServices, site: str = SITE) -> Path:
    folder = tmp_path / "content"
    (folder / "events").mkdir(parents=True, exist_ok=True)
    (folder / "site.toml").write_text(site.format(base=services.base), encoding="utf-8")
    return folder


def announce_once(folder: Path, env: dict, now: datetime, since=None, dry_run=False,
                  feed=None, sleeps: list | None = None) -> tuple[int, str]:
    """One run of the command, in this process (a day of runs in subprocesses is too slow);
    returns (exit code, everything it printed)."""
    args = Namespace(content=folder, feed=feed, since=since, now=now, dry_run=dry_run)
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(out):
        code = run_announce(args, now, environ=env,
                            sleep=(sleeps.append if sleeps is not None else lambda s: None))
    return code, out.getvalue()


# --- a feed ---------------------------------------------------------------------------------

EVENTS = {  # slug: (title, category, its join link)
    "euroasia-scrum": ("EuroAsia Scrum", "scrum", "https://meet.jit.si/EuroAsiaScrum"),
    "atlantic-scrum": ("Atlantic Scrum", "scrum", "https://meet.jit.si/AtlanticScrum"),
    "town-hall": ("Town Hall", "meeting", None),
    "thursday-pairing": ("Thursday Pairing", "pair-programming", "https://meet.jit.si/Pair"),
    "retired-scrum": ("Retired Scrum", "scrum", "https://meet.jit.si/Retired"),
    "edge-scrum": ("Edge Scrum", "scrum", "https://meet.jit.si/Edge"),  # placed by the test
}


def day_of_occurrences(seed: int = 14):
    """Occurrences spread over DAY at seeded random minutes (01:00 to 23:00), some with their
    own join link; and a few cancelled ones per event, as events.json lists them."""
    rng = random.Random(seed)
    occurrences, cancelled = [], {slug: [] for slug in EVENTS}
    for slug in EVENTS:
        if slug in ("retired-scrum", "edge-scrum"):
            continue
        minutes = sorted(rng.sample(range(60, 23 * 60), 16))
        for number, minute in enumerate(minutes):
            start = DAY + timedelta(minutes=minute)
            span = (z(start), z(start + timedelta(minutes=25)))
            if number % 6 == 5:
                cancelled[slug].append({"start": span[0], "end": span[1], "reason": "Holiday"})
                continue
            entry = {"event": slug, "start": span[0], "end": span[1]}
            if number % 5 == 2:
                entry.update(url=f"https://meet.jit.si/Other-{slug}-{minute}",
                             session=f"{start:%Y-%m-%d}", note="In the other room")
            occurrences.append(entry)
    occurrences.sort(key=lambda o: (o["start"], o["event"]))
    return occurrences, cancelled


def feed_json(services: FakeServices, generated: datetime, occurrences, cancelled,
              titles: dict | None = None) -> bytes:
    """events.json as a build at `generated` writes it: occurrences not ended by then.
    `titles`: other titles for some events."""
    events = {}
    for slug, (title, category, url) in EVENTS.items():
        events[slug] = {"title": (titles or {}).get(slug, title), "category": category, "project": None,
                        "timezone": "Europe/London", "url": url,
                        "page": f"{services.base}/events/{slug}/", "attendance": "online",
                        "location": None, "rsvp_url": None}
        if cancelled.get(slug):
            events[slug]["cancelled"] = cancelled[slug]
    events["retired-scrum"].update(status="cancelled", reason="We stopped")
    listed = [o for o in occurrences if o["end"] > z(generated)]
    return json.dumps({"version": 1, "generated_at": z(generated),
                       "horizon_end": z(generated + timedelta(days=90)),
                       "events": events, "occurrences": listed}).encode()


def said(post) -> tuple[str, str]:
    """(title, HH:MM) of a recorded post, whichever service it went to."""
    text = post.body.get("text") or post.body.get("content") or post.body.get("body")
    match = SAID.match(text)
    assert match, text
    return match["title"], match["time"]


def counts(posts) -> Counter:
    return Counter(said(post) for post in posts)


# --- a simulated day of runs -------------------------------------------------------------------

def test_a_day_of_runs_at_random_delays_announces_each_occurrence_once(services, tmp_path):
    """Every five minutes a run, started at a seeded random delay of up to four minutes (one
    eight minutes late), set up in 20 to 70 seconds; one scheduled run never happens; one run
    starts while the one before is still under way; one cannot fetch the feed; one is a re-run
    of a run from the morning; Discord is down for a while; the feed is rebuilt at noon."""
    folder = content(tmp_path, services)
    rng = random.Random(2027)
    down = f"http://127.0.0.1:{closed_port()}/discord"
    runs = []  # (started, run id)
    for slot in range(288):
        if slot == 40:  # GitHub skipped this one
            continue
        delay = 480 if slot == 60 else rng.uniform(5, 240)
        runs.append((DAY + timedelta(minutes=5 * slot, seconds=delay), slot + 1))
    runs.sort()
    overlapping = next(i for i, (_, run_id) in enumerate(runs) if run_id == 101)
    # Run 102 starts one minute after run 101, while 101 is still under way.
    runs[overlapping + 1] = (runs[overlapping][0] + timedelta(minutes=1), 102)
    started = dict((run_id, at) for at, run_id in runs)
    occurrences, cancelled = day_of_occurrences()
    # Edge Scrum is announced at the edges of the windows where runs go wrong: just inside the
    # overlapping runs' windows, the window of the run that cannot read the feed, the window
    # of the skipped run and of the run eight minutes late, and right on a run's start.
    lead = timedelta(minutes=10)
    moments = [started[102] - timedelta(seconds=20), started[101] - timedelta(seconds=30),
               started[151] - timedelta(seconds=5), started[42] - timedelta(minutes=7),
               started[61] - timedelta(seconds=10), started[62] - timedelta(seconds=10),
               started[70]]
    for moment in moments:
        start = moment.replace(microsecond=0) + lead
        occurrences.append({"event": "edge-scrum", "start": z(start),
                            "end": z(start + timedelta(minutes=15))})
    occurrences.sort(key=lambda o: (o["start"], o["event"]))
    services.feed = feed_json(services, DAY - timedelta(hours=3), occurrences, cancelled)
    outputs, discord_failed = {}, set()

    def execute(run_id: int, at: datetime) -> None:
        now = at + timedelta(seconds=rng.uniform(20, 70))
        if run_id == 151:  # the site is unreachable for this run
            services.feed_replies = [Reply(503, body=b"unavailable")] * 3
        if now.hour == 12 and not outputs.get("rebuilt"):
            outputs["rebuilt"] = True
            services.feed = feed_json(services, now, occurrences, cancelled)
        discord = down if 201 <= run_id <= 215 else None
        code, printed = announce_once(folder, environment(services, run_id, discord), now,
                                      since="github")
        outputs[run_id, len(services.runs[run_id])] = printed
        assert code in (0, EXIT_NOT_DELIVERED, 3), printed
        assert code != 3 or run_id == 151, printed
        assert (code == EXIT_NOT_DELIVERED) == (discord is not None and "error:" in printed)
        discord_failed.update(re.findall(r"error: Discord webhook \(127\.0\.0\.1\): (\S+):",
                                         printed))
        services.finish_run(run_id, window_done=code in (0, EXIT_NOT_DELIVERED))

    for index, (at, run_id) in enumerate(runs):
        if run_id == 102:
            continue  # run inside 101, below
        if run_id == 251:  # someone re-runs the morning's run 121 at this moment instead
            run_id = 121
        services.start_run(run_id, z(at))
        if run_id == 101:  # under way while 102 starts, looks back and finishes
            services.start_run(102, z(runs[index + 1][0]))
            execute(102, runs[index + 1][0])
        execute(run_id, at)

    cancelled_starts = {(EVENTS[slug][0], entry["start"][11:16])
                        for slug, entries in cancelled.items() for entry in entries}
    expected = {(EVENTS[o["event"]][0], o["start"][11:16]) for o in occurrences
                if EVENTS[o["event"]][1] == "scrum" or o["event"] == "town-hall"}
    assert len(expected) > 30 and not expected & cancelled_starts
    slack, matrix = counts(services.posts_to("/slack")), counts(services.posts_to("/_matrix"))
    assert slack == Counter({key: 1 for key in expected}), "Slack: not once each"
    assert matrix == Counter({key: 1 for key in expected}), "Matrix: not once each"
    discord = counts(services.posts_to("/discord"))
    missing = set(expected) - set(discord)
    # Discord was down: what runs could not post there is missing there, named in the runs'
    # errors, and never posted later by another run; everything else arrived once.
    assert missing and max(discord.values()) == 1 and set(discord) <= expected
    assert len(missing) == len(discord_failed)
    assert not any("late:" in text for text in outputs.values() if isinstance(text, str))


def test_each_post_says_how_soon_and_uses_the_occurrences_own_join_link(services, tmp_path):
    occurrences, cancelled = day_of_occurrences()
    own = next(o for o in occurrences if "url" in o and o["event"] == "euroasia-scrum")
    services.feed = feed_json(services, DAY, occurrences, cancelled)
    start = parse_now(own["start"])
    code, printed = announce_once(content(tmp_path, services), environment(services),
                                  start - timedelta(minutes=8),
                                  since=start - timedelta(minutes=11))
    assert code == 0, printed
    text = services.posts_to("/slack")[0].body["text"]
    assert text == f"EuroAsia Scrum ({own['start'][11:16]} UTC) starts in 8 minutes: join {own['url']}"


def test_town_hall_without_a_join_link_points_at_its_page(services, tmp_path):
    occurrences, cancelled = day_of_occurrences()
    hall = next(o for o in occurrences if o["event"] == "town-hall" and "session" not in o)
    services.feed = feed_json(services, DAY, occurrences, cancelled)
    start = parse_now(hall["start"])
    announce_once(content(tmp_path, services), environment(services), start - timedelta(minutes=10),
                  since=start - timedelta(minutes=11))
    body = services.posts_to("/discord")[0].body
    assert body["content"].endswith(f"join {services.base}/events/town-hall/")
    assert body["allowed_mentions"] == {"parse": []}


def test_cancelled_occurrences_are_never_announced_even_if_also_listed(services, tmp_path):
    occurrences, cancelled = day_of_occurrences()
    entry = cancelled["euroasia-scrum"][0]
    # An inconsistent feed: the cancelled occurrence is also among the occurrences.
    occurrences = occurrences + [{"event": "euroasia-scrum", "start": entry["start"],
                                  "end": entry["end"]}]
    services.feed = feed_json(services, DAY, occurrences, cancelled)
    start = parse_now(entry["start"])
    code, printed = announce_once(content(tmp_path, services), environment(services),
                                  start - timedelta(minutes=5), since=start - timedelta(minutes=20))
    assert code == 0, printed
    assert (EVENTS["euroasia-scrum"][0], entry["start"][11:16]) not in counts(services.posts)


def test_a_late_run_says_so_instead_of_posting(services, tmp_path):
    occurrences, cancelled = day_of_occurrences()
    services.feed = feed_json(services, DAY, occurrences, cancelled)
    first = parse_now(next(o for o in occurrences if o["event"] == "atlantic-scrum")["start"])
    code, printed = announce_once(content(tmp_path, services), environment(services),
                                  first + timedelta(minutes=12), since=first - timedelta(minutes=30))
    assert code == 0
    assert "late: Atlantic Scrum (" in printed and "started 12 minutes ago; too late" in printed
    assert ("Atlantic Scrum", z(first)[11:16]) not in counts(services.posts)


def test_a_run_after_the_start_but_within_the_lead_says_it_started(services, tmp_path):
    occurrences, cancelled = day_of_occurrences()
    services.feed = feed_json(services, DAY, occurrences, cancelled)
    first = parse_now(next(o for o in occurrences if o["event"] == "atlantic-scrum")["start"])
    announce_once(content(tmp_path, services), environment(services),
                  first + timedelta(minutes=3), since=first - timedelta(minutes=11))
    text = services.posts_to("/slack")[0].body["text"]
    assert text.startswith(f"Atlantic Scrum ({z(first)[11:16]} UTC) started 3 minutes ago")


# --- retries and failures ----------------------------------------------------------------------

def one_announcement(services: FakeServices, tmp_path: Path, sleeps=None, env=None):
    occurrences, cancelled = day_of_occurrences()
    services.feed = feed_json(services, DAY, occurrences, cancelled)
    first = parse_now(occurrences[0]["start"])
    return announce_once(content(tmp_path, services), env or environment(services),
                         first - timedelta(minutes=10), since=first - timedelta(minutes=11),
                         sleeps=sleeps)


def test_429_then_success_waits_as_asked_and_posts_once(services, tmp_path):
    services.script = {
        "/slack": [Reply(429, {"Retry-After": "2"}, b"rate_limited")],
        "/discord": [Reply(429, {}, b'{"message": "You are being rate limited.", "retry_after": 0.5}')],
        "/_matrix": [Reply(429, {}, b'{"errcode": "M_LIMIT_EXCEEDED", "retry_after_ms": 1500}')],
    }
    sleeps = []
    code, printed = one_announcement(services, tmp_path, sleeps)
    assert code == 0, printed
    assert sorted(sleeps) == [0.5, 1.5, 2.0]
    for prefix in ("/slack", "/discord", "/_matrix"):
        assert len(services.posts_to(prefix)) == 2  # the 429 and the post that went through
    first, second = services.posts_to("/_matrix")
    assert first.path == second.path and first.method == "PUT"  # the same transaction id
    assert "posted (attempt 2) to Slack webhook (127.0.0.1)" in printed


def test_retry_after_as_an_http_date(services, tmp_path):
    when = "Wed, 10 Mar 2027 00:00:03 GMT"
    assert webhooks._retry_after(when, "", datetime(2027, 3, 10, tzinfo=timezone.utc)) == 3


def test_5xx_is_retried_with_backoff_then_reported(services, tmp_path):
    services.script = {"/discord": [Reply(503, body=b"down")] * 4}
    sleeps = []
    code, printed = one_announcement(services, tmp_path, sleeps)
    assert code == EXIT_NOT_DELIVERED
    assert sleeps == [1, 2, 4]
    assert len(services.posts_to("/discord")) == 4
    assert re.search(r"^error: Discord webhook \(127\.0\.0\.1\): \S+@\S+Z: answered 503 "
                     r"Service Unavailable: down, 4 times$", printed, re.M), printed
    assert len(services.posts_to("/slack")) == 1 and len(services.posts_to("/_matrix")) == 1
    assert "Traceback" not in printed


def test_one_webhook_down_does_not_stop_the_others(services, tmp_path):
    env = environment(services, discord=f"http://127.0.0.1:{closed_port()}/discord")
    code, printed = one_announcement(services, tmp_path, env=env)
    assert code == EXIT_NOT_DELIVERED
    assert "could not connect" in printed and "Announce failed: 1 post did not go out" in printed
    assert len(services.posts_to("/slack")) == 1 and len(services.posts_to("/_matrix")) == 1


def test_a_service_asking_for_a_long_wait_is_not_waited_for(services, tmp_path):
    services.script = {"/slack": [Reply(429, {"Retry-After": "600"})]}
    sleeps = []
    code, printed = one_announcement(services, tmp_path, sleeps)
    assert code == EXIT_NOT_DELIVERED and sleeps == []
    assert "it asks to wait 600 s, more than 30 s, so it was not retried" in printed


def test_a_removed_webhook_is_not_retried_and_says_what_to_do(services, tmp_path):
    services.script = {"/slack": [Reply(404, body=b"no_service")]}
    code, printed = one_announcement(services, tmp_path)
    assert code == EXIT_NOT_DELIVERED and len(services.posts_to("/slack")) == 1
    assert "answered 404 Not Found: no_service; the webhook may have been removed" in printed


def test_no_answer_in_time_is_retried_only_where_a_retry_cannot_duplicate(services, tmp_path,
                                                                          monkeypatch):
    monkeypatch.setattr(webhooks, "TIMEOUT_SECONDS", 0.3)
    services.script = {"/slack": [Reply(delay=1)], "/_matrix": [Reply(delay=1)]}
    code, printed = one_announcement(services, tmp_path)
    assert code == EXIT_NOT_DELIVERED
    assert "no answer within 0.3 s; not retried, as the post may have arrived" in printed
    assert len(services.posts_to("/slack")) == 1
    assert len(services.posts_to("/_matrix")) == 2  # retried with the same transaction id


def test_dry_run_posts_nothing(services, tmp_path):
    occurrences, cancelled = day_of_occurrences()
    services.feed = feed_json(services, DAY, occurrences, cancelled)
    first = parse_now(occurrences[0]["start"])
    code, printed = announce_once(content(tmp_path, services), environment(services),
                                  first - timedelta(minutes=10), dry_run=True)
    assert code == 0 and services.posts == []
    for where in ("Slack webhook (127.0.0.1)", "Discord webhook (127.0.0.1)",
                  f"Matrix room {ROOM} (127.0.0.1)"):
        assert f"would post to {where}: {EVENTS[occurrences[0]['event']][0]} (" in printed


def test_dry_run_without_any_webhook_prints_the_messages(tmp_path):
    public = tmp_path / "public"
    build(SAMPLE_CONTENT, public, "2027-01-20T12:00:00Z")
    result = run_cli("announce", "--dry-run", "--feed", str(public / "events.json"),
                     "--now", "2027-01-21T06:50:00Z", "--since", "2027-01-21T06:45:00Z")
    assert result.returncode == 0, result.stderr
    assert ("would post: EuroAsia Scrum starts in 10 minutes: join "
            "https://meet.jit.si/HarbourCode_EuroAsiaScrum") in result.stdout


# --- what reaches each chat -----------------------------------------------------------------------

HOSTILE = "@everyone *Free* <!channel> [click](https://evil.example) @room"


def test_titles_cannot_mention_everyone_or_inject_links_or_markup():
    slack = webhooks.escape_for(webhooks.SLACK, HOSTILE)
    assert "<" not in slack and "&lt;!channel&gt;" in slack and "@\u200beveryone" in slack
    discord = webhooks.escape_for(webhooks.DISCORD, HOSTILE)
    assert r"\*Free\*" in discord and r"\[click\]\(https\://evil.example\)" in discord
    assert "@everyone" not in discord and "@\u200beveryone" in discord
    matrix = webhooks.escape_for(webhooks.MATRIX, HOSTILE)
    assert "@\u200broom" in matrix
    assert webhooks.payload(webhooks.MATRIX, matrix)["m.mentions"] == {}
    assert webhooks.payload(webhooks.DISCORD, discord)["allowed_mentions"] == {"parse": []}


def test_hostile_title_end_to_end(services, tmp_path):
    occurrences, cancelled = day_of_occurrences()
    services.feed = feed_json(services, DAY, occurrences, cancelled,
                              titles={"euroasia-scrum": HOSTILE})
    first = parse_now(next(o for o in occurrences if o["event"] == "euroasia-scrum")["start"])
    announce_once(content(tmp_path, services), environment(services),
                  first - timedelta(minutes=10), since=first - timedelta(minutes=11))
    slack = services.posts_to("/slack")[0].body["text"]
    assert slack.startswith("@\u200beveryone *Free* &lt;!channel&gt; [click](https://evil")
    assert services.posts_to("/_matrix")[0].headers["Authorization"] == "Bearer syt_secret"
    # Discord's Cloudflare refuses urllib's own User-Agent with a 403 (error code 1010).
    assert services.posts_to("/discord")[0].headers["User-Agent"].startswith("Nextup-announce/")


# --- the window from the GitHub Actions API -------------------------------------------------------

def window(services, run_id):
    return actions_runs.window_from_runs(services.base, REPOSITORY, str(run_id), "token")


def test_window_starts_after_the_last_run_that_covered_one(services):
    services.start_run(1, "2027-03-10T10:00:30Z"); services.finish_run(1, True)
    services.start_run(2, "2027-03-10T10:05:40Z"); services.finish_run(2, False)  # feed down
    services.start_run(3, "2027-03-10T10:10:10Z")
    got = window(services, 3)
    assert (z(got.since), z(got.until)) == ("2027-03-10T10:00:30Z", "2027-03-10T10:10:10Z")
    assert got.covered_by == "run 1 attempt 1"


def test_a_run_under_way_counts_as_covering_its_window(services):
    services.start_run(1, "2027-03-10T10:00:30Z")  # still running
    services.start_run(2, "2027-03-10T10:01:30Z")
    assert z(window(services, 2).since) == "2027-03-10T10:00:30Z"


def test_a_later_run_does_not_shorten_an_earlier_ones_window(services):
    services.start_run(1, "2027-03-10T10:00:30Z"); services.finish_run(1, True)
    services.start_run(3, "2027-03-10T10:09:00Z")  # started before run 2 had its turn
    services.start_run(2, "2027-03-10T10:10:00Z")
    assert z(window(services, 3).since) == "2027-03-10T10:00:30Z"


def test_a_re_run_does_not_repeat_its_own_first_attempt(services):
    services.start_run(1, "2027-03-10T10:00:30Z"); services.finish_run(1, True)
    services.start_run(2, "2027-03-10T10:05:30Z"); services.finish_run(2, True)
    services.start_run(2, "2027-03-10T10:07:00Z")  # attempt 2 of run 2
    got = window(services, 2)
    assert z(got.since) == "2027-03-10T10:05:30Z" and got.covered_by == "run 2 attempt 1"


def test_the_first_run_ever_has_no_earlier_window(services, tmp_path):
    services.start_run(1, "2027-03-10T10:00:30Z")
    assert window(services, 1).since is None
    occurrences, cancelled = day_of_occurrences()
    services.feed = feed_json(services, DAY, occurrences, cancelled)
    code, printed = announce_once(content(tmp_path, services), environment(services, 1),
                                  parse_now("2027-03-10T10:01:00Z"), since="github")
    assert code == 0 and ("no earlier run covered a window: the last "
                          f"{DEFAULT_WINDOW.seconds // 60} minutes") in printed


def test_an_unreadable_actions_api_is_one_line_and_exit_3(services, tmp_path):
    env = environment(services, 99)  # no such run
    code, printed = announce_once(content(tmp_path, services), env, DAY, since="github")
    assert code == 3 and printed.count("\n") == 1
    assert "answered 404 Not Found; the workflow needs permissions: actions: read" in printed


# --- the command line -------------------------------------------------------------------------------

def test_no_webhook_is_a_usage_error_naming_the_secrets(tmp_path):
    result = run_cli("announce", "--feed", str(tmp_path / "none.json"))
    assert result.returncode == 2
    assert "no webhook is configured: set NEXTUP_SLACK_WEBHOOK_URL" in result.stderr


def test_a_broken_feed_is_one_located_line_never_a_traceback(tmp_path):
    feed = tmp_path / "events.json"
    feed.write_text("{not json")
    result = run_cli("announce", "--dry-run", "--feed", str(feed))
    assert result.returncode == 3 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"error: {feed}: not JSON (")


def test_an_unreadable_feed_entry_is_skipped_and_located(tmp_path):
    feed = tmp_path / "events.json"
    feed.write_text(json.dumps({"version": 1, "events": {"a": {"title": "A"}},
                                "occurrences": [{"event": "a", "start": "soon", "end": "x"},
                                                {"event": "b"}, {"event": ["a"]}, 5]}))
    result = run_cli("announce", "--dry-run", "--feed", str(feed))
    assert result.returncode == 0, result.stderr
    assert f"note: {feed}: occurrences[0]: start or end is not an instant" in result.stdout
    for index in (1, 2, 3):
        assert f"note: {feed}: occurrences[{index}]: no event of that name" in result.stdout


def test_secrets_are_never_printed(services, tmp_path):
    env = environment(services)
    env["NEXTUP_SLACK_WEBHOOK_URL"] = "https://hooks.slack.com/services/T0/B0/SECRET"
    code, printed = one_announcement(services, tmp_path, env=env)
    assert "SECRET" not in printed and "syt_secret" not in printed


def test_webhook_addresses_must_be_https(services, tmp_path):
    env = environment(services)
    env["NEXTUP_DISCORD_WEBHOOK_URL"] = "http://discord.example/api/webhooks/1/x"
    env["NEXTUP_MATRIX_ROOM_ID"] = "#harbour:example.org"
    code, printed = one_announcement(services, tmp_path, env=env)
    assert code == 2 and services.posts == []
    assert "error: NEXTUP_DISCORD_WEBHOOK_URL: Discord webhook is not an https:// address" in printed
    assert 'NEXTUP_MATRIX_ROOM_ID: "#harbour:example.org" is not a room ID' in printed


# --- the workflow runs the command as these tests do -------------------------------------------------

def test_the_workflow_matches_the_command():
    workflow = (ROOT / ".github" / "workflows" / "announce.yml").read_text()
    assert f'cron: "*/{DEFAULT_WINDOW.seconds // 60} * * * *"' in workflow
    assert "concurrency:\n  group: announce\n  cancel-in-progress: false" in workflow
    assert f"- name: {actions_runs.WINDOW_STEP}\n" in workflow
    assert "python build.py announce --since github" in workflow
    assert f"status == '{EXIT_NOT_DELIVERED}'" in workflow
    for name in (webhooks.SLACK_VARIABLE, webhooks.DISCORD_VARIABLE, *webhooks.MATRIX_VARIABLES):
        assert f"{name}: ${{{{ secrets.{name} }}}}" in workflow


def test_the_editing_guides_announce_example_passes_check(tmp_path):
    guide = (ROOT / "docs" / "editing.md").read_text(encoding="utf-8")
    section = guide.split("\n## Announcing meetings in chat\n", 1)[1]
    example = re.search(r"```toml\n(\[announce\]\n.*?)```", section, re.S)[1]
    (tmp_path / "content" / "events").mkdir(parents=True)
    (tmp_path / "content" / "site.toml").write_text(example, encoding="utf-8")
    result = run_cli("check", "--content", str(tmp_path / "content"))
    assert "announce.events[0]: no event file \"town-hall.md\"" in result.stdout + result.stderr
    town_hall = (SAMPLE_CONTENT / "events" / "town-hall.md").read_text(encoding="utf-8")
    (tmp_path / "content" / "events" / "town-hall.md").write_text(town_hall, encoding="utf-8")
    result = run_cli("check", "--content", str(tmp_path / "content"))
    assert result.returncode == 0 and "0 warnings" in result.stdout, result.stdout + result.stderr
