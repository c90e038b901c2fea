"""The command line: --now, exit codes, what it prints, and that a failed build loses nothing."""
import json
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE_CONTENT, run_cli, write_event
from generator.render import site
from generator.cli import main, parse_now
from generator.build.pipeline import BuildOptions, build_site

NOW = "2027-01-20T12:00:00Z"
BROKEN = ROOT / "tests" / "fixtures" / "broken"

EVENT = '''
title = "Standup"
category = "scrum"
timezone = "Europe/London"
start = 2027-01-04T10:00:00
duration = 25
rrule = "FREQ=WEEKLY;BYDAY=MO,WE"
'''


@pytest.fixture(autouse=True)
def _run_in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def snapshot(root: Path) -> dict:
    """Every file and directory under root: relative path -> bytes (None for a directory)."""
    return {str(p.relative_to(root)): (None if p.is_dir() else p.read_bytes())
            for p in sorted(root.rglob("*"))}


def cli(capsys, *args):
    """Run main() in-process; returns (exit code, stdout, stderr)."""
    try:
        code = main(list(args))
    except SystemExit as exit:  # argparse
        code = exit.code
    out, err = capsys.readouterr()
    return code, out, err


def build_args(content="content", output="public", now=NOW):
    return ["--content", str(content), "--output", str(output), "--now", now]


@pytest.fixture
def content(content_dir):
    write_event(content_dir, "standup", EVENT)
    return content_dir


# --- --now -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["2027-02-15T00:00:00Z", "2027-02-15T00:00:00z",
                                  "2027-02-15T01:00:00+01:00", "2027-02-14T19:00:00-05:00",
                                  "2027-02-15 05:30:00+05:30", "2027-02-15T00:00:00.750Z",
                                  "2027-02-15"])
def test_now_accepts_utc_offsets_and_a_date(text):
    assert parse_now(text) == datetime(2027, 2, 15, tzinfo=timezone.utc)


@pytest.mark.parametrize("text", ["2027-02-15T00:00:00", "2027-02-15 00:00"])
def test_now_without_a_zone_is_refused_with_a_clear_message(capsys, text):
    code, out, err = cli(capsys, *build_args(now=text))
    assert code == 2
    assert f'"{text}" has no zone' in err and "end it with Z" in err
    assert not Path("public").exists()


@pytest.mark.parametrize("text, message", [("yesterday", "is not an ISO 8601 instant"),
                                           ("2027-02-30T00:00:00Z", "is not an ISO 8601 instant"),
                                           ("9999-12-31T00:00:00Z", "out of range")])
def test_bad_now_is_a_usage_error(capsys, text, message):
    code, _, err = cli(capsys, *build_args(now=text))
    assert code == 2 and message in err and "Traceback" not in err


@pytest.mark.parametrize("days", ["0", "-3", "3661", "ninety"])
def test_bad_horizon_days_is_a_usage_error(capsys, content, days):
    code, _, err = cli(capsys, *build_args(), "--horizon-days", days)
    assert code == 2 and "--horizon-days" in err and "1 to 3660" in err


def test_horizon_days_option_overrides_the_site(capsys, content):
    code, _, _ = cli(capsys, *build_args(), "--horizon-days", "7")
    assert code == 0
    feed = json.loads(Path("public/events.json").read_text())
    assert feed["generated_at"] == "2027-01-20T12:00:00Z"
    assert feed["horizon_end"] == "2027-01-27T12:00:00Z"


# --- same input, same output -----------------------------------------------------------------------

def test_same_content_and_now_give_byte_identical_output(capsys, tmp_path):
    assert cli(capsys, *build_args(SAMPLE_CONTENT, "first"))[0] == 0
    assert cli(capsys, *build_args(SAMPLE_CONTENT, tmp_path / "elsewhere" / "second"))[0] == 0
    first = snapshot(Path("first"))
    assert len([v for v in first.values() if v is not None]) > 20
    assert snapshot(tmp_path / "elsewhere" / "second") == first
    # Building again over the first output changes nothing either.
    assert cli(capsys, *build_args(SAMPLE_CONTENT, "first"))[0] == 0
    assert snapshot(Path("first")) == first


def test_different_now_gives_different_output(capsys):
    assert cli(capsys, *build_args(SAMPLE_CONTENT, "a"))[0] == 0
    assert cli(capsys, *build_args(SAMPLE_CONTENT, "b", now="2027-01-21T12:00:00Z"))[0] == 0
    assert snapshot(Path("a")) != snapshot(Path("b"))


# --- commands and exit codes -------------------------------------------------------------------

def test_build_is_the_default_command(capsys, content):
    assert cli(capsys, *build_args(output="implicit"))[0] == 0
    assert cli(capsys, "build", *build_args(output="explicit"))[0] == 0
    assert snapshot(Path("implicit")) == snapshot(Path("explicit")) != {}


def test_no_arguments_builds_content_into_public(tmp_path, content):
    result = run_cli(cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Built 1 event (")
    assert (tmp_path / "public" / "events.json").is_file()


def test_unknown_command_is_a_usage_error(capsys, content):
    code, _, err = cli(capsys, "deploy")
    assert code == 2 and "deploy" in err
    assert not Path("public").exists()


def test_help_exits_zero(capsys):
    code, out, _ = cli(capsys, "--help")
    assert code == 0 and "build" in out


def test_success_line_reports_counts(capsys, content):
    write_event(content, "retro", EVENT.replace('rrule = "FREQ=WEEKLY;BYDAY=MO,WE"', "")
                .replace("2027-01-04", "2027-02-05"))
    code, out, err = cli(capsys, *build_args(), "--horizon-days", "21")
    assert code == 0 and err == ""
    match = re.fullmatch(r"Built (\d+) events \((\d+) occurrences in the horizon\): (\d+) pages, "
                         r"(\d+) calendars, (\d+) feeds, (\d+) other files into public/ in "
                         r"\d+\.\d\d s; 0 warnings\.\n", out)
    assert match, out
    feed = json.loads(Path("public/events.json").read_text())
    files = [p for p in Path("public").rglob("*") if p.is_file()]
    assert int(match[1]) == len(feed["events"]) == 2
    # Mondays and Wednesdays 25 January to 10 February (20 January's ended at 10:25), and 5 February.
    assert int(match[2]) == len(feed["occurrences"]) == 7
    assert int(match[3]) == len([f for f in files if f.suffix == ".html"])
    assert int(match[4]) == len([f for f in files if f.suffix == ".ics"])
    assert sum(int(match[i]) for i in (3, 4, 5, 6)) == len(files)


def test_warnings_are_printed_and_the_build_succeeds(capsys, content):
    write_event(content, "standup", EVENT + "exdates = [2027-01-26T10:00:00]")
    code, out, err = cli(capsys, *build_args())
    assert code == 0
    assert err.startswith("content/events/standup.md:8:12: warning: exdates[0]: "
                          "2027-01-26T10:00:00 matches no occurrence")
    assert out.startswith("Built 1 event (") and out.rstrip().endswith("; 1 warning.")


# --- failing builds lose nothing ---------------------------------------------------------------

def test_failed_build_reports_every_problem_and_leaves_the_output_exactly_as_it_was(
        capsys, tmp_path, content):
    assert cli(capsys, *build_args())[0] == 0
    (Path("public") / "marker.txt").write_text("kept")  # even files we did not write
    before = snapshot(Path("public"))
    write_event(content, "standup", EVENT.replace("duration = 25", "duration = 0"))
    write_event(content, "other", EVENT.replace('"scrum"', '"scrumm"'))
    code, out, err = cli(capsys, *build_args())
    assert code == 1 and out == ""
    assert err.splitlines() == [
        "content/events/other.md:3:12: category: unknown category \"scrumm\"; "
        "did you mean \"scrum\"?",
        "content/events/standup.md:6:12: duration: must be a positive whole number of minutes "
        "(at most 10080), not 0; write the length in minutes, like duration = 25",
        "Build failed: 2 errors. Nothing was written; public/ is unchanged.",
    ]
    assert snapshot(Path("public")) == before
    # No staging directory left behind (the cache beside the output is meant to stay).
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != ".nextup-cache") == ["content", "public"]


def test_broken_fixture_reports_every_file_in_one_run(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(BROKEN)
    code, out, err = cli(capsys, *build_args(output=tmp_path / "out"))
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert ('content/events/euro-scrum.md:7:12: timezone: unknown zone "Europe/Londn"; '
            'did you mean "Europe/London"?') in lines
    located = {re.match(r"([^:]+)(?::(\d+))?", line).groups() for line in lines[:-1]}
    assert located == {
        ("content/events/Team_Sync.md", None),
        ("content/events/bad-toml.md", "6"),
        ("content/events/euro-scrum.md", "7"),
        ("content/events/leap-dreams.md", "7"),
        ("content/events/mistyped.md", "2"),  # tittle
        ("content/events/mistyped.md", "3"),  # category
        ("content/events/mistyped.md", "5"),  # start in quotes
        ("content/events/mistyped.md", "6"),  # duration in quotes
        ("content/events/mistyped.md", "10"),  # "thurday"
        ("content/events/no-front-matter.md", "1"),
        ("content/events/unclosed.md", "1"),
        ("content/site.toml", "3"),
    }
    assert lines[-1].startswith("Build failed: 12 errors.")
    assert not (tmp_path / "out").exists()


def test_build_that_breaks_while_writing_leaves_the_previous_output(
        capsys, tmp_path, content, monkeypatch):
    assert cli(capsys, *build_args())[0] == 0
    before = snapshot(Path("public"))

    def half_a_site(page, events, lines, now, horizon_end, vevents, put, put_stream, observe=None, **_):
        put("index.html", b"half")
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(site, "render_site_outputs", half_a_site)
    with pytest.raises(RuntimeError):
        build_site(BuildOptions(Path("content"), Path("public"), parse_now(NOW)))
    assert snapshot(Path("public")) == before
    # No staging directory left behind (the cache beside the output is meant to stay).
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != ".nextup-cache") == ["content", "public"]


def test_output_that_is_not_a_previous_build_is_not_replaced(capsys, content):
    Path("docs").mkdir()
    (Path("docs") / "thesis.tex").write_text("years of work")
    before = snapshot(Path("docs"))
    code, out, err = cli(capsys, *build_args(output="docs"))
    assert code == 2 and out == ""
    assert "is not empty and is not a Nextup build" in err
    assert ".nextup-site" in err and "refusing" in err
    assert snapshot(Path("docs")) == before


def test_folder_with_an_events_json_is_not_taken_for_a_previous_build(capsys, content):
    """Data loss: any folder holding a file named events.json was replaced whole."""
    Path("work").mkdir()
    (Path("work") / "events.json").write_text('{"mine": true}')
    (Path("work") / "minutes.docx").write_bytes(b"PK\x03\x04 a year of minutes")
    (Path("work") / "photos").mkdir()
    (Path("work") / "photos" / "retreat.jpg").write_bytes(b"\xff\xd8 photo")
    before = snapshot(Path("work"))
    code, out, err = cli(capsys, *build_args(output="work"))
    assert code == 2 and out == ""
    assert "is not a Nextup build" in err
    assert snapshot(Path("work")) == before


def test_build_from_before_the_marker_is_recognised_by_its_cache(capsys, content):
    """A site built by a Nextup without the marker is still replaced (its cache lists every
    file it holds); a file added to it since then is not ours, so it is refused."""
    from generator.build.write import OUTPUT_MARKER

    assert cli(capsys, *build_args())[0] == 0
    (Path("public") / OUTPUT_MARKER).unlink()
    assert cli(capsys, *build_args())[0] == 0
    assert (Path("public") / OUTPUT_MARKER).is_file()
    (Path("public") / OUTPUT_MARKER).unlink()
    (Path("public") / "notes.txt").write_text("mine")
    code, _, err = cli(capsys, *build_args())
    assert code == 2 and "is not a Nextup build" in err
    assert (Path("public") / "notes.txt").read_text() == "mine"


def test_output_that_is_a_file_is_refused(capsys, content):
    Path("public").write_text("a file")
    code, _, err = cli(capsys, *build_args())
    assert code != 0 and "not a directory" in err
    assert Path("public").read_text() == "a file"


def test_previous_build_is_replaced_entirely_but_files_users_added_are_kept(capsys, content):
    """Files users add to the output were deleted on every build (_redirects, CNAME,
    .well-known/security.txt): they are kept, with a warning that says where they belong."""
    write_event(content, "retro", EVENT.replace("Standup", "Retro"))
    assert cli(capsys, *build_args())[0] == 0
    assert (Path("public") / "events" / "retro" / "index.html").is_file()
    (content / "events" / "retro.md").unlink()
    for name in ("_redirects", "CNAME", ".well-known/security.txt"):
        (Path("public") / name).parent.mkdir(exist_ok=True)
        (Path("public") / name).write_text(f"the user's {name}")
    code, out, err = cli(capsys, *build_args())
    assert code == 0
    assert not (Path("public") / "events" / "retro").exists()  # ours, no longer built
    for name in ("_redirects", "CNAME", ".well-known/security.txt"):
        assert (Path("public") / name).read_text() == f"the user's {name}"
    assert ("note: kept 3 files in public/ that Nextup did not write (.well-known/security.txt, "
            "CNAME, _redirects); to publish them with every build, move them to content/public/"
            in err)


def test_a_file_of_the_users_at_a_path_the_build_writes_is_not_overwritten(capsys, content):
    assert cli(capsys, *build_args())[0] == 0
    (content / "events" / "standup.md").rename(content / "events" / "daily.md")
    (Path("public") / "events" / "daily").mkdir()
    (Path("public") / "events" / "daily" / "index.html").write_text("my own page")
    before = snapshot(Path("public"))
    code, out, err = cli(capsys, *build_args())
    assert code == 2 and out == ""
    assert "public/events/daily/index.html was not written by Nextup, and this build would " \
           "replace it" in err
    assert snapshot(Path("public")) == before


def test_empty_output_directory_is_used(capsys, content):
    Path("public").mkdir()
    assert cli(capsys, *build_args())[0] == 0
    assert (Path("public") / "index.html").is_file()


@pytest.mark.parametrize("output", ["content", "content/events", "content/public", "."])
def test_output_overlapping_the_content_directory_is_refused(capsys, content, output):
    before = snapshot(Path("content"))
    code, out, err = cli(capsys, *build_args(output=output))
    assert code != 0 and out == ""
    assert "overlaps the content directory" in err
    assert snapshot(Path("content")) == before


def test_missing_content_directory_fails_without_writing(capsys):
    code, _, err = cli(capsys, *build_args(content="nope"))
    assert code == 1
    assert "nope: content directory not found" in err
    assert not Path("public").exists()


def test_content_directory_without_events_fails_without_replacing_the_site(capsys, content):
    assert cli(capsys, *build_args())[0] == 0
    before = snapshot(Path("public"))
    Path("empty").mkdir()
    code, _, err = cli(capsys, *build_args(content="empty"))
    assert code == 1 and "empty: the content directory has no events/ folder" in err
    assert snapshot(Path("public")) == before


def test_output_marker_lists_every_file_the_build_wrote(capsys, content, tmp_path):
    """The safety check trusts the marker to say what a previous build wrote."""
    from generator.build.write import OUTPUT_MARKER, read_marker

    assert cli(capsys, *build_args())[0] == 0
    on_disk = {p.relative_to("public").as_posix() for p in Path("public").rglob("*")
               if p.is_file()}
    assert read_marker(Path("public") / OUTPUT_MARKER) == on_disk - {OUTPUT_MARKER}


def test_a_bug_in_nextup_is_one_line_naming_itself_not_a_traceback(capsys, content, monkeypatch):
    from generator.render import site as site_module

    def broken(*args, **kwargs):
        raise ValueError("an impossible state")

    monkeypatch.setattr(site_module, "render_site_outputs", broken)
    code, out, err = cli(capsys, *build_args())
    assert code == 70 and out == ""
    assert err.startswith("internal error at pipeline.py:")  # where in Nextup it happened
    assert "ValueError: an impossible state. This is a bug in Nextup" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    monkeypatch.setenv("NEXTUP_DEBUG", "1")
    code, _, err = cli(capsys, *build_args())
    assert code == 70 and "Traceback" in err
    assert not Path("public").exists()
