"""OutputTransaction.put_stream writes a large file only from where it differs from the last
build's: whatever was written, the committed output holds exactly it, and an unchanged file is
neither written again nor given a new modification time."""
from __future__ import annotations

import os

import pytest

from generator.build.write import OutputTransaction

OLD = b"BEGIN:VCALENDAR\r\n" + b"".join(b"LINE %05d\r\n" % n for n in range(5000)) + b"END\r\n"


def first_build(output_dir):
    transaction = OutputTransaction(output_dir, {})
    with transaction.put_stream("events.ics") as stream:
        stream.write(OLD)
    return transaction.commit()


def streamed(output_dir, manifest, pieces):
    transaction = OutputTransaction(output_dir, manifest)
    with transaction.put_stream("events.ics") as stream:
        for piece in pieces:
            stream.write(piece)
    staged = (transaction.staging / "events.ics").exists()
    manifest = transaction.commit()
    return staged, manifest


def pieces_of(data: bytes, size: int = 4096):
    return [data[i:i + size] for i in range(0, len(data), size)]


@pytest.mark.parametrize("new", [
    OLD,  # the same: nothing written
    OLD[:30000] + b"X" + OLD[30001:],  # one byte differs in the middle
    OLD[:-1],  # shorter by a byte
    OLD + b"more\r\n",  # longer
    b"",  # empty
    b"Z" + OLD[1:],  # differs at the first byte
], ids=["same", "middle", "shorter", "longer", "empty", "first"])
def test_the_output_holds_what_was_streamed(tmp_path, new):
    output = tmp_path / "public"
    manifest = first_build(output)
    before = os.stat(output / "events.ics").st_mtime_ns
    staged, manifest = streamed(output, manifest, pieces_of(new))
    assert (output / "events.ics").read_bytes() == new
    assert staged == (new != OLD)
    if new == OLD:
        assert os.stat(output / "events.ics").st_mtime_ns == before
    assert manifest["events.ics"][1] == len(new)


def test_a_changed_output_file_is_written_whole_even_when_the_stream_matches(tmp_path):
    """The last build's file was altered after it was written: the stream's bytes equal what the
    manifest recorded, not what is on disk, so the file is written again."""
    output = tmp_path / "public"
    manifest = first_build(output)
    (output / "events.ics").write_bytes(OLD.replace(b"LINE 00007", b"LINE 0000x"))
    staged, _ = streamed(output, manifest, pieces_of(OLD))
    assert staged
    assert (output / "events.ics").read_bytes() == OLD


def test_a_touched_output_file_with_the_same_bytes_is_written_again(tmp_path):
    """Same bytes but not the manifest's time: it cannot be trusted as the last build's, so the
    streamed file (copied from the equal old one) replaces it."""
    output = tmp_path / "public"
    manifest = first_build(output)
    os.utime(output / "events.ics", ns=(1, 1))
    staged, manifest = streamed(output, manifest, pieces_of(OLD))
    assert staged and (output / "events.ics").read_bytes() == OLD
    assert manifest["events.ics"][2] == os.stat(output / "events.ics").st_mtime_ns != 1
