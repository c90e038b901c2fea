"""Content written to do harm, or by mistake as if it were: links out of content/, pipes and
devices, huge files, TOML nested or numbered to break the parser, control characters that would
inject lines into calendars or annotations, lists no calendar app can expand. Each becomes a
located problem of its own file, every other file is still reported, and nothing hangs, eats
memory or prints a traceback.

Tests that could hang or exhaust memory on a build without these defences run the command line
in a child process with a time limit and a memory limit.
"""
from __future__ import annotations

import os
import re
import resource
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT, build, write_event
from generator.cli import parse_now
from generator.build.pipeline import check_content

NOW = "2027-01-20T12:00:00Z"
BASE = '''
title = "Standup"
category = "scrum"
timezone = "Europe/London"
start = 2027-01-04T10:00:00
duration = 25
'''
WEEKLY = BASE + '\n[repeat]\nevery = "week"\n'


@pytest.fixture(autouse=True)
def _run_in_tmp(tmp_path, monkeypatch):
    """Files are named relative to where the command runs: run in tmp_path."""
    monkeypatch.chdir(tmp_path)


def _limited(memory_bytes: int):
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    return limit


def run_limited(*args: str, cwd: Path, seconds: int = 30, memory_bytes: int = 2 * 1024 ** 3):
    """The command line in a child process that may use at most `seconds` and `memory_bytes`."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=seconds,
                          preexec_fn=_limited(memory_bytes))


def check_cli(tmp_path, *extra):
    return run_limited("check", "--content", "content", "--now", NOW, *extra, cwd=tmp_path)


def build_cli(tmp_path):
    return run_limited("build", "--content", "content", "--output", "public", "--now", NOW,
                       cwd=tmp_path)


def problems_of(content_dir):
    return check_content(content_dir, parse_now(NOW)).problems


def lines_for(output: str, name: str) -> list[str]:
    return [line for line in output.splitlines() if name in line]


def assert_no_traceback(result):
    assert "Traceback" not in result.stderr, result.stderr[-3000:]


# --- links and special files ----------------------------------------------------------------

def test_symlink_to_dev_zero_is_refused_without_reading_it(tmp_path, content_dir):
    write_event(content_dir, "fine", WEEKLY)
    os.symlink("/dev/zero", content_dir / "events" / "zero.md")
    for result in (check_cli(tmp_path), build_cli(tmp_path)):
        assert_no_traceback(result)
        assert result.returncode == 1
        (line,) = lines_for(result.stderr, "zero.md")
        assert line.startswith("content/events/zero.md: leads outside the content folder, to "
                               "/dev/zero;"), line
    assert not (tmp_path / "public").exists()


def test_symlink_to_a_file_outside_content_is_not_published(tmp_path, content_dir):
    secret = tmp_path / "secret.md"
    secret.write_text("+++\n" + textwrap.dedent(WEEKLY).strip().replace("Standup", "SECRET-KEY")
                      + "\n+++\nprivate\n")
    os.symlink(secret, content_dir / "events" / "leak.md")
    result = build(content_dir, tmp_path / "public", NOW)
    assert not result.ok
    (problem,) = [p for p in result.problems if p.file.endswith("leak.md")]
    assert problem.is_error and "outside the content folder" in problem.message
    assert "copy of the file" in problem.hint
    published = tmp_path / "public"
    assert not published.exists() or not any(
        b"SECRET-KEY" in path.read_bytes() for path in published.rglob("*") if path.is_file())


def test_symlink_inside_content_to_an_ordinary_file_is_read_like_a_copy(tmp_path, content_dir):
    (content_dir / "shared").mkdir()
    write_event(content_dir / "shared", "standup", WEEKLY)
    os.symlink("../shared/events/standup.md", content_dir / "events" / "standup.md")
    result = build(content_dir, tmp_path / "public", NOW)
    assert result.ok, [str(p) for p in result.problems]
    assert (tmp_path / "public" / "events" / "standup" / "index.html").is_file()


def test_events_folder_that_is_a_link_out_of_content_is_refused(tmp_path):
    outside = tmp_path / "elsewhere"
    write_event(outside, "standup", WEEKLY)
    content = tmp_path / "content"
    content.mkdir()
    os.symlink(outside / "events", content / "events")
    problems = problems_of(content)
    assert [p.file for p in problems if p.is_error] == ["content/events"]
    assert "outside the content folder" in problems[0].message


def test_named_pipe_in_events_does_not_hang_the_build(tmp_path, content_dir):
    write_event(content_dir, "fine", WEEKLY)
    os.mkfifo(content_dir / "events" / "pipe.md")
    os.mkfifo(content_dir / "site.toml")
    for result in (check_cli(tmp_path), build_cli(tmp_path)):  # a hang is a TimeoutExpired
        assert_no_traceback(result)
        assert result.returncode == 1
        assert "content/events/pipe.md: is a named pipe (FIFO), not an ordinary file; " \
               "content files must be ordinary files" in result.stderr
        assert "content/site.toml: is a named pipe (FIFO), not an ordinary file" in result.stderr


def test_socket_and_device_in_events_are_refused(tmp_path, content_dir):
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(content_dir / "events" / "sock.md"))
        found = {p.file: p for p in problems_of(content_dir)}
    finally:
        server.close()
    assert found["content/events/sock.md"].message == "is a socket, not an ordinary file"
    try:
        os.mknod(content_dir / "events" / "null.md", 0o600 | 0o020000, os.makedev(1, 3))
    except (PermissionError, OSError):
        pytest.skip("this machine does not let tests make a device file")
    found = {p.file: p for p in problems_of(content_dir)}
    assert found["content/events/null.md"].message == "is a device, not an ordinary file"


def test_event_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path, content_dir):
    from generator.content.load import MAX_CONTENT_FILE_BYTES

    huge = content_dir / "events" / "huge.md"
    with open(huge, "wb") as out:  # sparse: nothing is really written
        out.truncate(MAX_CONTENT_FILE_BYTES + 1)
    write_event(content_dir, "fine", WEEKLY)
    (problem,) = [p for p in problems_of(content_dir) if p.is_error]
    assert problem.file == "content/events/huge.md"
    assert problem.message == "the file is 1 MiB, more than the 1 MiB a file here may hold"


def test_site_toml_that_is_a_link_out_of_content_is_refused(tmp_path, content_dir):
    (tmp_path / "other.toml").write_text('title = "Someone else"\n')
    os.symlink(tmp_path / "other.toml", content_dir / "site.toml")
    write_event(content_dir, "fine", WEEKLY)
    problems = problems_of(content_dir)
    assert [p.file for p in problems if p.is_error] == ["content/site.toml"]


def test_broken_link_as_site_toml_is_reported_not_taken_for_no_settings(tmp_path, content_dir):
    os.symlink("gone.toml", content_dir / "site.toml")
    write_event(content_dir, "fine", WEEKLY)
    (problem,) = [p for p in problems_of(content_dir) if p.is_error]
    assert problem.file == "content/site.toml"
    assert problem.message == "cannot read the file: No such file or directory"


def test_read_content_file_reads_at_most_the_limit(tmp_path):
    from generator.content.load import read_content_file

    path = tmp_path / "content" / "events" / "a.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"x" * 5000)
    data, problems = read_content_file(path, max_bytes=10_000)
    assert data == b"x" * 5000 and problems == []
    data, problems = read_content_file(path, max_bytes=4096)
    assert data is None
    assert problems[0].message == "the file is 4.88 KiB, more than the 4 KiB a file here may hold"


def test_read_content_file_refuses_what_grew_past_the_limit_after_it_was_looked_at(
        tmp_path, monkeypatch):
    """The size is checked twice: before opening (stat) and while reading (a bounded read)."""
    import generator.content.load as load

    path = tmp_path / "content" / "events" / "a.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"x" * 100)
    looked_at = load._look

    def grows_after_the_look(*args):
        answer = looked_at(*args)
        path.write_bytes(b"x" * 9000)
        return answer

    monkeypatch.setattr(load, "_look", grows_after_the_look)
    data, problems = load.read_content_file(path, max_bytes=4096)
    assert data is None and "more than the 4 KiB" in problems[0].message


def test_read_content_file_does_not_open_a_pipe_that_replaced_a_file(tmp_path, monkeypatch):
    import generator.content.load as load

    path = tmp_path / "content" / "events" / "a.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"x")
    looked_at = load._look

    def swapped_after_the_look(*args):
        answer = looked_at(*args)
        path.unlink()
        os.mkfifo(path)
        return answer

    monkeypatch.setattr(load, "_look", swapped_after_the_look)
    data, problems = load.read_content_file(path)  # opened non-blocking: returns at once
    assert data is None and problems[0].message == "is a named pipe (FIFO), not an ordinary file"


def test_folder_inside_events_is_reported_as_a_warning(tmp_path, content_dir):
    write_event(content_dir, "fine", WEEKLY)
    (content_dir / "events" / "archive").mkdir()
    write_event(content_dir / "events" / "archive", "old", WEEKLY)
    result = check_cli(tmp_path)
    assert result.returncode == 0
    assert ("content/events/archive: warning: is a folder: events/ holds only .md files, and "
            "folders in it are not read; move the event files in it up into events/, or move "
            "the folder out of events/") in result.stderr


# --- content/public/ ------------------------------------------------------------------------

def test_public_files_are_listed_hidden_ones_too_and_bad_entries_refused(tmp_path, content_dir):
    from generator.content.load import find_content, safe_content_files

    public = content_dir / "public"
    (public / ".well-known").mkdir(parents=True)
    (public / ".well-known" / "security.txt").write_text("Contact: x\n")
    (public / "_redirects").write_text("/old /new\n")
    os.symlink("_redirects", public / "redirects-link")  # inside: accepted
    os.symlink("/etc/hostname", public / "hostname")
    os.symlink("../events", public / "events-folder")
    os.mkfifo(public / "pipe")
    with open(public / "video.mp4", "wb") as out:
        out.truncate(2000)
    files, problems = safe_content_files(public, content_dir, max_bytes=1000)
    assert [p.relative_to(public).as_posix() for p in files] == [
        ".well-known/security.txt", "_redirects", "redirects-link"]
    assert sorted((Path(p.file).name, p.message) for p in problems) == [
        ("events-folder", "is a link to a folder, not an ordinary file"),
        ("hostname", "leads outside the content folder, to /etc/hostname"),
        ("pipe", "is a named pipe (FIFO), not an ordinary file"),
        ("video.mp4", "the file is 1.95 KiB, more than the 1000 bytes a file here may hold"),
    ]
    found = find_content(content_dir)  # the listing of content/ reports them in every run
    assert {Path(p.file).name for p in found.problems} == {"events-folder", "hostname", "pipe"}
    assert len(found.public_files) == 4


def test_public_that_is_a_link_out_of_content_is_refused(tmp_path, content_dir):
    from generator.content.load import find_content

    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", content_dir / "public")
    found = find_content(content_dir)
    assert found.public_files == ()
    assert [p.file for p in found.problems] == ["content/public"]


# --- TOML that breaks parsers --------------------------------------------------------------

@pytest.mark.parametrize("value", ["[" * 100_000 + "]" * 100_000,
                                   "{a = " * 50_000 + "1" + "}" * 50_000,
                                   "[" * 100_000], ids=["arrays", "inline-tables", "unclosed"])
def test_deeply_nested_toml_is_a_located_problem_and_other_files_are_still_reported(
        tmp_path, content_dir, value):
    (content_dir / "events" / "deep.md").write_text(
        "+++\n" + textwrap.dedent(BASE).strip() + f"\nbad = {value}\n+++\n")
    write_event(content_dir, "other", BASE.replace('"scrum"', '"scrumm"'))
    result = check_cli(tmp_path)
    assert_no_traceback(result)
    (deep,) = lines_for(result.stderr, "deep.md")
    assert deep == ("content/events/deep.md:7:17: invalid TOML: lists or tables are nested more "
                    "than 10 deep; an event needs at most a list of tables ([[overrides]]): look "
                    "for a stray [ or { on that line") or deep.startswith(
        "content/events/deep.md:7:")
    assert lines_for(result.stderr, "other.md") == [
        'content/events/other.md:3:12: category: unknown category "scrumm"; did you mean "scrum"?']


def test_nesting_that_the_parser_survives_is_still_refused(content_dir):
    write_event(content_dir, "deep", BASE + "\nbad = " + "[" * 60 + "]" * 60)
    problems = problems_of(content_dir)
    assert [(p.line, p.field, p.message) for p in problems] == [  # line 7 is blank
        (8, "bad[0][0][0][0][0][0][0][0][0][0]", "lists or tables are nested more than 10 deep")]


def test_number_too_large_for_the_parser_is_a_located_problem(tmp_path, content_dir):
    write_event(content_dir, "big", BASE.replace("duration = 25", "duration = " + "9" * 5000))
    result = check_cli(tmp_path)
    assert_no_traceback(result)
    assert lines_for(result.stderr, "big.md") == [
        "content/events/big.md:6:12: invalid TOML: the number is too large; TOML numbers must "
        "fit in 64 bits: check for a typo"]


@pytest.mark.parametrize("written", ["0x" + "f" * 5000, "9223372036854775808", "0o" + "7" * 30],
                         ids=["hex-5000-digits", "2-to-the-63", "octal"])
def test_number_beyond_64_bits_is_a_located_problem(content_dir, written):
    write_event(content_dir, "big", BASE.replace("duration = 25", f"duration = {written}")
                + f'\n[repeat]\nevery = "week"\ninterval = {written}\non = [{written}]')
    problems = problems_of(content_dir)
    assert sorted((p.line, p.field, p.message) for p in problems) == [
        (6, "duration", "the number is too large"),
        (10, "repeat.interval", "the number is too large"),
        (11, "repeat.on[0]", "the number is too large")]


@pytest.mark.parametrize("written", ["inf", "-inf", "nan", "1e308"])
def test_infinite_or_absurd_float_duration_is_a_located_problem(content_dir, written):
    write_event(content_dir, "float", BASE.replace("duration = 25", f"duration = {written}"))
    (problem,) = problems_of(content_dir)
    assert (problem.line, problem.field) == (6, "duration")
    assert problem.message.startswith("must be a positive whole number of minutes")


def test_zone_name_too_long_for_the_file_system_is_a_located_problem(content_dir):
    write_event(content_dir, "zone", BASE.replace('"Europe/London"', '"' + "x" * 5000 + '"'))
    (problem,) = problems_of(content_dir)
    assert (problem.line, problem.field) == (4, "timezone")
    assert problem.message == "the text is 5,000 characters long, more than the 300 allowed here"


def test_positions_that_cannot_be_scanned_leave_the_message_without_them(content_dir,
                                                                          monkeypatch):
    import generator.content.positions as positions

    def broken(*args):
        raise IndexError("an input the scanner did not expect")

    monkeypatch.setattr(positions, "scan_positions", broken)
    write_event(content_dir, "ev", BASE.replace('"scrum"', '"scrumm"'))
    (problem,) = problems_of(content_dir)
    assert problem.message == 'unknown category "scrumm"' and problem.column is None


def test_an_exception_while_checking_one_file_is_its_problem_and_the_others_are_checked(
        content_dir, monkeypatch):
    import generator.content.validate as validate

    def broken(*args, **kwargs):
        raise KeyError("a bug")

    write_event(content_dir, "aaa", BASE.replace('"scrum"', '"scrumm"'))
    write_event(content_dir, "zzz", WEEKLY)
    original = validate._url
    monkeypatch.setattr(validate, "_url", lambda report, data: (
        broken() if report.raw.path.stem == "zzz" else original(report, data)))
    problems = problems_of(content_dir)
    assert [(p.file, p.message) for p in problems] == [
        ("content/events/aaa.md", 'unknown category "scrumm"'),
        ("content/events/zzz.md",
         "this file could not be checked (KeyError); this is a bug in Nextup")]


# --- control characters ----------------------------------------------------------------------

FIELDS = {  # field -> (front matter with the value "{}", file line of the value, column of it)
    "title": ('title = "{}"', 2, 9),
    "url": ('url = "https://meet.jit.si/{}"', 7, 7),
    "project": ('project = "{}"', 7, 11),
    "audience": ('audience = "{}"', 7, 12),
    "summary": ('summary = "{}"', 7, 11),
    "category": ('category = "{}"', 3, 12),
    "timezone": ('timezone = "{}"', 4, 12),
    "rrule": ('rrule = "FREQ=WEEKLY{}"', 7, 9),
    "overrides[0].title": ('\n[[overrides]]\noriginal = 2027-02-01T10:00:00\ntitle = "{}"', 11, 9),
    "repeat.every": ('\n[repeat]\nevery = "week{}"', 9, 9),
}
CHARACTERS = {  # as written in TOML -> what the message calls it
    "\\n": "a line break (U+000A LINE FEED)",
    "\\r\\nBEGIN:VEVENT": "a line break (U+000D CARRIAGE RETURN)",
    "\\u0000": "a control character (U+0000 NUL)",
    "\\u001b[31m": "a control character (U+001B ESCAPE)",
    "\\u0007": "a control character (U+0007 BEL)",
    "\\t": "a tab (U+0009 TAB)",
    "\\u007f": "a control character (U+007F DELETE)",
    "\\u0085": "a control character (U+0085)",
    "\\u2028": "a line break (U+2028 LINE SEPARATOR)",
    "\\u202e": "a text-direction control (U+202E RIGHT-TO-LEFT OVERRIDE)",
    "\\u2066": "a text-direction control (U+2066 LEFT-TO-RIGHT ISOLATE)",
}


def _event_with(field: str, value: str) -> str:
    """BASE with `field` set to a text holding `value`: replaced where BASE has the field,
    else added after it (tables last)."""
    template, _, _ = FIELDS[field]
    line = template.format(value)
    name = field.split(".")[0].split("[")[0]
    lines = textwrap.dedent(BASE).strip().split("\n")
    for index, existing in enumerate(lines):
        if existing.startswith(f"{name} = "):
            lines[index] = line
            return "\n".join(lines)
    if name in ("overrides", "repeat"):
        return "\n".join(lines) + '\nrrule = "FREQ=WEEKLY"' * (name == "overrides") + "\n" + line
    lines.insert(5, line)
    return "\n".join(lines)


@pytest.mark.parametrize("field", list(FIELDS))
@pytest.mark.parametrize("written", list(CHARACTERS), ids=lambda w: w.strip("\\")[:6])
def test_control_character_in_any_setting_is_refused_where_it_is_written(content_dir, field,
                                                                           written):
    _, line, column = FIELDS[field]
    front_matter = _event_with(field, "Demo" + written)
    write_event(content_dir, "ev", front_matter)
    problems = [p for p in problems_of(content_dir) if p.message.startswith("the text holds")]
    assert [(p.line, p.field, p.message) for p in problems] == [
        (line, field, f"the text holds {CHARACTERS[written]}")], front_matter
    source_line = front_matter.split("\n")[line - 2]
    assert source_line[problems[0].column - 1:].startswith(written[:2]), (source_line, problems)
    assert problems[0].hint.startswith(f"delete the {written[:2] if written[1] in 'nrt' else written[:6]}")


def test_raw_c1_and_direction_characters_are_refused_where_they_stand(content_dir):
    write_event(content_dir, "ev", BASE.replace('"Standup"', '"Stand\u0085up \u202egnirts"'))
    problems = problems_of(content_dir)
    assert [(p.line, p.column, p.field, p.message, p.hint) for p in problems] == [
        (2, 15, "title", "the text holds a control character (U+0085)",
         "delete it: it is invisible in most editors")]


def test_direction_marks_and_other_scripts_are_allowed(tmp_path, content_dir):
    write_event(content_dir, "ev", WEEKLY.replace('"Standup"', '"اجتماع\u200f Standup \u200e日本"')
                + '\n', "Texte\tavec tabulation.\n\nSecond paragraph.\n")
    result = build(content_dir, tmp_path / "public", NOW)
    assert result.ok, [str(p) for p in result.problems]


def test_carriage_return_in_base_url_cannot_inject_an_event_into_calendars(tmp_path,
                                                                         content_dir):
    (content_dir / "site.toml").write_text(
        'base_url = "https://example.org/\\r\\nBEGIN:VEVENT\\r\\nSUMMARY:Injected\\r\\n'
        'END:VEVENT"\ntitle = "Bell\\u0007"\n')
    write_event(content_dir, "ev", WEEKLY)
    result = build(content_dir, tmp_path / "public", NOW)
    assert sorted((p.file, p.line, p.column, p.field, p.message) for p in result.problems) == [
        ("content/site.toml", 1, 33, "base_url",
         "the text holds a line break (U+000D CARRIAGE RETURN)"),
        ("content/site.toml", 2, 14, "title", "the text holds a control character (U+0007 BEL)"),
    ]
    assert not (tmp_path / "public").exists()


def test_control_character_in_the_description_is_refused_at_its_line_and_column(content_dir):
    body = "\n\nFirst line.\n\tIndented with a tab is fine.\nBell \x07 and NUL\x00 here.\n"
    write_event(content_dir, "ev", WEEKLY, body)
    problems = problems_of(content_dir)
    # +++, 8 lines of settings, +++ (line 10), two blank lines, then the text from line 13.
    assert [(p.line, p.column, p.field, p.message) for p in problems] == [
        (15, 6, "description", "the description holds a control character (U+0007 BEL)")]


def test_control_character_in_the_description_does_not_hide_the_settings_problems(content_dir):
    write_event(content_dir, "ev", BASE.replace('"scrum"', '"scrumm"'), "Escape \x1b[2J\n")
    problems = problems_of(content_dir)
    assert sorted((p.line, p.field) for p in problems) == [(3, "category"), (8, "description")]


def test_text_output_never_prints_a_raw_control_character_from_a_problem():
    from generator.model import Problem
    from generator.report import github_annotation, problem_text

    problem = Problem("content/events/a\x1b.md", 2, 3, "title\n",
                      'unknown field "x\n::error file=x::forged\u202e"', "hint\r\x07")
    for text in (problem_text(problem), github_annotation(problem)):
        assert "\n" not in text and "\r" not in text
        assert not re.search("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]", text)
    assert problem_text(problem) == ('content/events/a\\x1b.md:2:3: title\\n: unknown field '
                                     '"x\\n::error file=x::forged\\u202e"; hint\\r\\x07')


@pytest.mark.parametrize("output_format", ["text", "github"])
def test_a_quoted_key_cannot_forge_an_annotation_line(tmp_path, content_dir, output_format):
    """An unknown field is echoed in its message: its name must not start a line of its own."""
    write_event(content_dir, "ev", WEEKLY + '\n"x\\n::error file=README.md,line=1::forged" = 1')
    result = check_cli(tmp_path, "--format", output_format)
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert not any(line.startswith("::error file=README.md") for line in output.splitlines())
    assert "\x1b" not in output
    if output_format == "github":
        for line in result.stdout.splitlines():
            assert re.fullmatch(r"::(error|warning) file=[^,:]+(,line=\d+(,col=\d+)?)?"
                                r"(,title=[^:]+)?::.+", line), line


# --- sizes of texts and lists ------------------------------------------------------------------

@pytest.mark.parametrize("field,limit", [("title", 300), ("project", 300), ("summary", 1000),
                                         ("url", 2000)])
def test_text_longer_than_its_limit_is_refused(content_dir, field, limit):
    value = ("https://meet.jit.si/" if field == "url" else "") + "a" * (limit + 1)
    write_event(content_dir, "ev", WEEKLY.replace('title = "Standup"',
                                                   f'title = "Standup"\n{field} = "{value}"'
                                                   if field != "title" else f'title = "{value}"'))
    (problem,) = [p for p in problems_of(content_dir) if p.is_error]
    assert problem.field == field
    assert problem.message == (f"the text is {len(value):,} characters long, more than the "
                               f"{limit:,} allowed here")


def _dates(count: int, days: int = 1) -> str:
    from datetime import datetime, timedelta

    first = datetime(2027, 1, 4, 10)
    return ", ".join((first + timedelta(days=days * n)).isoformat() for n in range(count))


def _many(name: str, count: int) -> str:
    if name == "overrides":
        return BASE + '\nrrule = "FREQ=DAILY"\n' + "".join(
            f"\n[[overrides]]\noriginal = {d}\nduration = 30\n" for d in _dates(count).split(", "))
    return BASE + f'\nrrule = "FREQ=DAILY"\n{name} = [{_dates(count)}]\n'


@pytest.mark.parametrize("name", ["exdates", "rdates", "overrides"])
def test_more_than_a_thousand_exdates_rdates_or_overrides_are_refused(tmp_path, content_dir, name):
    write_event(content_dir, "many", _many(name, 5000))
    result = check_cli(tmp_path)
    assert_no_traceback(result)
    assert result.returncode == 1
    (line,) = lines_for(result.stderr, "many.md")
    assert re.match(rf"content/events/many\.md:\d+:\d+: {name}: 5,000 entries are more than "
                    r"the 1,000 allowed: each one is written into every calendar that holds the "
                    r"event, and calendar apps slow down or give up on thousands; ", line), line


@pytest.mark.parametrize("name", ["exdates", "rdates", "overrides"])
def test_a_hundred_thousand_exdates_rdates_or_overrides_are_refused_by_the_size_limit(
        tmp_path, content_dir, name):
    write_event(content_dir, "many", _many(name, 100_000))
    write_event(content_dir, "other", BASE.replace('"scrum"', '"scrumm"'))
    result = check_cli(tmp_path)
    assert_no_traceback(result)
    (line,) = lines_for(result.stderr, "many.md")
    assert re.match(r"content/events/many\.md: the file is [\d.]+ MiB, more than the 1 MiB a "
                    r"file here may hold; ", line), line
    assert lines_for(result.stderr, "other.md")


def test_a_thousand_exdates_are_still_allowed(content_dir):
    write_event(content_dir, "many", BASE + f'\nrrule = "FREQ=DAILY"\nexdates = [{_dates(1000)}]\n')
    assert not [p for p in problems_of(content_dir) if p.is_error]


# --- anything else a file can hold -------------------------------------------------------------

@pytest.mark.parametrize("address", ["https://]meet.jit.si/x", "https://[::1/x",
                                     "https://meet.jit.si:port/x"])
def test_malformed_join_link_is_not_a_web_address_rather_than_a_crash(content_dir, address):
    write_event(content_dir, "ev", WEEKLY.replace('title = "Standup"',
                                                   f'title = "Standup"\nurl = "{address}"'))
    (problem,) = problems_of(content_dir)
    assert (problem.field, problem.message) == ("url", f'"{address}" is not a web address')


def test_malformed_base_url_is_not_a_web_address_rather_than_a_crash(content_dir):
    (content_dir / "site.toml").write_text('base_url = "https://[events.example.org/"\n')
    write_event(content_dir, "ev", WEEKLY)
    (problem,) = problems_of(content_dir)
    assert (problem.field, problem.message) == (
        "base_url", '"https://[events.example.org/" is not a web address')


MUTATIONS = list('[]{}"\'\\=.,#\n \t0123456789eE+-:TZxu_') + [
    "\\u0000", "\\U00110000", "0x", "inf", "nan", "9999-12-31T23:59:59", "0000-00-00", "[[", "]]",
    '"""', "'''", "FREQ=DAILY;", "BYSETPOS=-1;", "COUNT=3;", "BYDAY=-1FR;", 'every = "day"\n']


def test_mutated_event_files_give_problems_never_exceptions():
    """A few thousand random edits of real event files (seeded: the same every run): whatever
    comes out is read, checked, expanded and described without an exception or an internal
    error. (A longer run of this found the malformed-link crash above.)"""
    import random
    from datetime import datetime, timedelta, timezone

    from generator.render.words import schedule_in_words
    from generator.schedule.expand import expand_occurrences
    from generator.content.lint import lint_event
    from generator.content.load import parse_event_text
    from generator.content.validate import validate_event

    now = datetime(2027, 1, 20, 12, tzinfo=timezone.utc)
    rng = random.Random(10)
    sources = [path.read_text(encoding="utf-8") for path in sorted(
        (ROOT / "content" / "events").glob("*.md"))]
    valid = 0
    for _ in range(3000):
        text = list(rng.choice(sources))
        for _ in range(rng.randint(1, 5)):
            place, roll = rng.randrange(len(text)), rng.random()
            if roll < 0.4:
                text.insert(place, rng.choice(MUTATIONS))
            elif roll < 0.7:
                del text[place]
            else:
                text[place] = rng.choice(MUTATIONS)
        raw, problems = parse_event_text(Path("content/events/x.md"), "".join(text))
        if raw is None:
            continue
        event, problems = validate_event(raw, ["scrum", "pair-programming", "meeting",
                                               "client-meeting"])
        assert not any("could not be checked" in p.message for p in problems), "".join(text)
        if event is not None:
            valid += 1
            found = expand_occurrences(event, now, now + timedelta(days=90))
            lint_event(event, now, now + timedelta(days=90), len(found))
            schedule_in_words(event)
    assert valid > 300  # the edits leave many files valid, so expansion is exercised too
