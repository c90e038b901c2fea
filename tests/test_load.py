"""Reading content/: front matter, TOML errors at the right file line, and where every key sits."""
import textwrap
import tomllib
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import write_event
from generator.content.load import find_content, load_event_file
from generator.content.positions import scan_positions


def _positions(text: str, first_line: int = 1) -> dict:
    text = textwrap.dedent(text).lstrip("\n")
    tomllib.loads(text)  # the scanner only ever sees documents tomllib accepted
    return scan_positions(text, first_line)


def _one(problems):
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


@pytest.fixture(autouse=True)
def _run_in_tmp(tmp_path, monkeypatch):
    """Files are named relative to where the command runs: run in tmp_path."""
    monkeypatch.chdir(tmp_path)


# --- toml_positions.scan_positions --------------------------------------------------------------

def test_positions_of_plain_quoted_and_literal_keys_point_at_the_value():
    positions = _positions('''
        title = "A"
        "quoted key" = 1
        'literal key' = 2
        packed="x"
          indented = 3
    ''')
    assert positions[("title",)] == (1, 9)
    assert positions[("quoted key",)] == (2, 16)
    assert positions[("literal key",)] == (3, 17)
    assert positions[("packed",)] == (4, 8)
    assert positions[("indented",)] == (5, 14)


def test_first_line_shifts_every_position_to_file_lines():
    positions = _positions('title = "A"\nduration = 5\n', first_line=2)
    assert positions[("title",)] == (2, 9)
    assert positions[("duration",)] == (3, 12)


def test_dotted_keys_give_a_path_and_place_the_tables_they_imply():
    positions = _positions('''
        repeat.every = "week"
        repeat . on = ["mon"]
        a.b.c = 1
    ''')
    assert positions[("repeat", "every")] == (1, 16)
    assert positions[("repeat", "on")] == (2, 15)
    assert positions[("repeat", "on", 0)] == (2, 16)
    assert positions[("repeat",)] == (1, 1)  # first mention, not overwritten by the second
    assert positions[("a", "b", "c")] == (3, 9)
    assert positions[("a",)] == (3, 1) and positions[("a", "b")] == (3, 1)


def test_table_header_prefixes_the_keys_below_it():
    positions = _positions('''
        title = "A"
        [repeat]
        every = "week"
        [site.links]
        home = "/"
    ''')
    assert positions[("repeat",)] == (2, 2)
    assert positions[("repeat", "every")] == (3, 9)
    assert ("every",) not in positions
    assert positions[("site", "links")] == (4, 2)
    assert positions[("site", "links", "home")] == (5, 8)


def test_array_of_tables_are_numbered_in_order():
    positions = _positions('''
        [[overrides]]
        original = 1
        [[overrides]]
        original = 2
        title = "x"
        [[other]]
        original = 3
    ''')
    assert positions[("overrides",)] == (1, 3)  # the first [[overrides]]: "overrides as a whole"
    assert positions[("overrides", 0)] == (1, 3)
    assert positions[("overrides", 0, "original")] == (2, 12)
    assert positions[("overrides", 1)] == (3, 3)
    assert positions[("overrides", 1, "original")] == (4, 12)
    assert positions[("overrides", 1, "title")] == (5, 9)
    assert positions[("other", 0, "original")] == (7, 12)
    assert ("overrides", 2) not in positions


def test_multi_line_array_records_where_each_element_starts():
    positions = _positions('''
        exdates = [2027-02-01T10:00:00, 2027-02-02T10:00:00,  # first two
          2027-02-08,
          "a, b, [c]",
          [1, 2],
          { x = 1 },
        ]
        after = 1
    ''')
    assert positions[("exdates",)] == (1, 11)
    assert positions[("exdates", 0)] == (1, 12)
    assert positions[("exdates", 1)] == (1, 33)
    assert positions[("exdates", 2)] == (2, 3)
    assert positions[("exdates", 3)] == (3, 3)  # commas and brackets inside a string don't count
    assert positions[("exdates", 4)] == (4, 3)  # a nested array is one element
    assert positions[("exdates", 5)] == (5, 3)  # so is an inline table
    assert ("exdates", 6) not in positions
    assert positions[("after",)] == (7, 9)


def test_nested_arrays_count_only_outer_elements():
    positions = _positions("nested = [[1, 2], [3]]\n")
    assert positions[("nested", 0)] == (1, 11)
    assert positions[("nested", 1)] == (1, 19)
    assert ("nested", 2) not in positions


def test_inline_table_is_not_mistaken_for_an_array():
    positions = _positions('inline = { a = 1, b = [1, 2] }\nnext = 2\n')
    assert positions[("inline",)] == (1, 10)
    assert not any(key[:1] == ("inline",) and len(key) > 1 for key in positions)
    assert positions[("next",)] == (2, 8)


def test_multi_line_strings_holding_key_value_lines_are_not_keys():
    positions = _positions('''
        description = """
        fake = "not a key"
        [not.a.table]
        [[nor.this]]
        """
        literal = \'\'\'
        also = 1
        \'\'\'
        escaped = """ends with \\""" still inside
        sneaky = 1 """
        real = 2
    ''')
    assert ("fake",) not in positions
    assert ("not", "a", "table") not in positions and ("not",) not in positions
    assert ("nor", "this", 0) not in positions
    assert ("also",) not in positions
    assert ("sneaky",) not in positions
    assert positions[("description",)] == (1, 15)
    assert positions[("literal",)] == (6, 11)
    assert positions[("escaped",)] == (9, 11)
    # "real" is still found, so "real" is in the top-level table, not inside a header.
    assert positions[("real",)] == (11, 8)


def test_comments_are_not_keys_and_hash_inside_strings_is_not_a_comment():
    positions = _positions('''
        # start = 2027-01-01T10:00:00
        title = "A # not a comment" # = 5
          # [repeat]
        on = ["mon", # "tue",
              "thu"]
        url = "x"
    ''')
    assert ("start",) not in positions
    assert ("repeat",) not in positions
    assert positions[("title",)] == (2, 9)
    assert positions[("on", 0)] == (4, 7)
    assert positions[("on", 1)] == (5, 7)
    assert ("on", 2) not in positions
    assert positions[("url",)] == (6, 7)


def test_escaped_quote_does_not_end_a_string():
    positions = _positions('title = "say \\"x = 1\\" twice"\nnext = 1\n')
    assert positions[("next",)] == (2, 8)
    assert ("x",) not in positions


# --- front matter ---------------------------------------------------------------------------------

def test_front_matter_and_body_are_split_at_the_fences(content_dir):
    path = write_event(content_dir, "ok", 'title = "A"\nduration = 5', "Body *text*.\n")
    raw, problems = load_event_file(path)
    assert problems == []
    assert raw.data == {"title": "A", "duration": 5}
    assert raw.positions[("title",)] == (2, 9)  # file line 2: line 1 is +++
    assert raw.body == "Body *text*."
    assert raw.body_line == 5
    assert raw.display_path == "content/events/ok.md"


def test_bad_toml_is_located_at_the_file_line_not_the_front_matter_line(content_dir):
    path = write_event(content_dir, "bad", '''
        title = "A"
        timezone = "Europe/London"
        category = scrum
        duration = 5
    ''')
    problem = _one(load_event_file(path)[1])
    assert (problem.file, problem.line, problem.column) == ("content/events/bad.md", 4, 12)
    assert problem.message.startswith("invalid TOML: ")
    assert "quotes" in problem.hint
    assert str(problem).startswith("content/events/bad.md:4:12: invalid TOML: ")


def test_unterminated_string_at_the_end_of_front_matter_names_its_line(content_dir):
    path = write_event(content_dir, "bad", 'title = "A"\nurl = "https://x.org')
    problem = _one(load_event_file(path)[1])
    assert problem.line == 3
    assert "invalid TOML" in problem.message


def test_duplicate_key_is_invalid_toml(content_dir):
    path = write_event(content_dir, "dup", 'title = "A"\nduration = 5\ntitle = "B"')
    problem = _one(load_event_file(path)[1])
    assert problem.line == 4
    assert "invalid TOML" in problem.message


@pytest.mark.parametrize("text", ['title = "A"\n+++\n', "", "\n+++\ntitle = 'A'\n+++\n",
                                  "---\ntitle: A\n---\n"])
def test_missing_front_matter_is_reported_at_line_1(content_dir, text):
    path = content_dir / "events" / "nofm.md"
    path.write_text(text)
    raw, problems = load_event_file(path)
    problem = _one(problems)
    assert raw is None
    assert (problem.file, problem.line) == ("content/events/nofm.md", 1)
    assert "front matter" in problem.message and "+++" in problem.hint


def test_unclosed_front_matter_is_reported(content_dir):
    path = content_dir / "events" / "open.md"
    path.write_text('+++\ntitle = "A"\nduration = 5\n')
    raw, problems = load_event_file(path)
    problem = _one(problems)
    assert raw is None
    # Pointed at the opening +++ (line 4 would be past the end of the file).
    assert (problem.file, problem.line) == ("content/events/open.md", 1)
    assert "never closed" in problem.message
    assert "+++" in problem.hint


def test_byte_order_mark_and_windows_line_ends_are_accepted(content_dir):
    path = content_dir / "events" / "win.md"
    path.write_bytes(b'\xef\xbb\xbf+++\r\ntitle = "A"\r\nduration = x\r\n+++\r\nBody\r\n')
    problem = _one(load_event_file(path)[1])
    assert (problem.line, problem.column) == (3, 12)
    path.write_bytes(b'\xef\xbb\xbf+++\r\ntitle = "A"\r\n+++\r\nBody\r\n')
    raw, problems = load_event_file(path)
    assert problems == [] and raw.data == {"title": "A"} and raw.body == "Body"


def test_file_that_is_not_utf8_names_the_line(content_dir):
    path = content_dir / "events" / "latin.md"
    path.write_bytes('+++\ntitle = "Caf\u00e9"\n+++\n'.encode("latin-1"))
    problem = _one(load_event_file(path)[1])
    assert problem.line == 2
    assert "UTF-8" in problem.message and "UTF-8" in problem.hint


# --- the content directory ------------------------------------------------------------------------

def load_content(content_dir: Path) -> SimpleNamespace:
    """What the build's find phase and per-event stage read: every problem, and each event
    file that could be read."""
    found = find_content(content_dir)
    problems, events = list(found.problems), []
    for path in found.event_paths:
        raw, file_problems = load_event_file(path, content_dir)
        problems += file_problems
        if raw is not None:
            events.append(raw)
    return SimpleNamespace(site=found.site, site_unreadable=found.site_unreadable,
                           problems=problems, events=events)


def test_every_broken_file_is_reported_not_just_the_first(content_dir):
    write_event(content_dir, "one", 'title = "A"\ncategory = scrum')
    (content_dir / "events" / "two.md").write_text("no front matter\n")
    (content_dir / "events" / "three.md").write_text("+++\ntitle = 'A'\n")
    write_event(content_dir, "good", 'title = "A"')
    loaded = load_content(content_dir)
    assert sorted(p.file for p in loaded.problems) == [
        "content/events/one.md", "content/events/three.md", "content/events/two.md"]
    assert [raw.path.stem for raw in loaded.events] == ["good"]


def test_non_markdown_file_in_events_is_a_warning_and_hidden_files_are_ignored(content_dir):
    (content_dir / "events" / "notes.txt").write_text("x")
    (content_dir / "events" / ".draft.md").write_text("not front matter")
    (content_dir / "events" / ".git").mkdir()
    problem = _one(load_content(content_dir).problems)
    assert problem.file == "content/events/notes.txt"
    assert not problem.is_error
    assert '"notes.md"' in problem.hint


def test_folder_inside_events_is_a_warning_not_skipped_silently(content_dir):
    (content_dir / "events" / "images").mkdir()
    write_event(content_dir / "events" / "images", "lost", 'title = "A"')
    problem = _one(load_content(content_dir).problems)
    assert problem.file == "content/events/images" and not problem.is_error
    assert "folders in it are not read" in problem.message
    assert "move the event files in it up into events/" in problem.hint


def test_missing_content_directory_is_an_error(tmp_path):
    problem = _one(load_content(tmp_path / "nope").problems)
    assert problem.is_error and problem.file == "nope"
    assert "not found" in problem.message and "--content" in problem.hint


def test_content_directory_without_events_folder_is_an_error(tmp_path):
    """Pointing --content at the wrong folder must not build (and publish) an empty site."""
    (tmp_path / "content").mkdir()
    problem = _one(load_content(tmp_path / "content").problems)
    assert problem.is_error and "no events/ folder" in problem.message


def test_content_pointing_at_the_events_folder_itself_suggests_its_parent(content_dir):
    write_event(content_dir, "a", 'title = "A"')
    problem = _one(load_content(content_dir / "events").problems)
    assert problem.is_error
    assert "--content content " in problem.hint


def test_site_toml_syntax_error_is_located(content_dir):
    (content_dir / "site.toml").write_text('title = "A"\n\nhorizon_days = = 3\n')
    loaded = load_content(content_dir)
    problem = _one(loaded.problems)
    assert (problem.file, problem.line) == ("content/site.toml", 3)
    assert loaded.site is None and loaded.site_unreadable
