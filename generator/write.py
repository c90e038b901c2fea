"""Phase 5: write rendered files into the output directory, all or nothing.

Files go to a fresh sibling directory first; only when every file is written is it swapped in
for the old output. A build that fails at any point leaves the previous output as it was.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath
from typing import Iterable

# A directory we may replace: empty, or holding a previous build (it always has this file).
OUTPUT_MARKER = "events.json"


class OutputError(Exception):
    """The output directory cannot be written safely."""


def check_output_dir(output_dir: Path, content_dir: Path | None = None) -> None:
    output_dir = output_dir.resolve()
    if content_dir is not None:
        content = content_dir.resolve()
        if output_dir == content or content in output_dir.parents or output_dir in content.parents:
            raise OutputError(f"the output directory {output_dir} overlaps the content directory; "
                              "choose another --output")
    if output_dir.exists():
        if not output_dir.is_dir():
            raise OutputError(f"{output_dir} exists and is not a directory")
        if any(output_dir.iterdir()) and not (output_dir / OUTPUT_MARKER).exists():
            raise OutputError(f"{output_dir} is not empty and does not look like a Nextup build "
                              f"(no {OUTPUT_MARKER}); refusing to replace it. Choose another "
                              "--output or empty it")


def write_output(files: Iterable[tuple[str, bytes]], output_dir: Path) -> list[str]:
    """Write every (relative path, bytes) pair, then swap the result in. Returns the paths."""
    output_dir = output_dir.resolve()
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.new-", dir=output_dir.parent))
    written = []
    try:
        os.chmod(staging, 0o755)
        for relative, data in files:
            target = staging / _safe_relative(relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            written.append(relative)
        _swap_in(staging, output_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return written


def _safe_relative(relative: str) -> Path:
    path = PurePosixPath(relative)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise OutputError(f"refusing to write outside the output directory: {relative!r}")
    return Path(*path.parts)


def _swap_in(staging: Path, output_dir: Path) -> None:
    if not output_dir.exists():
        os.rename(staging, output_dir)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.old-", dir=output_dir.parent))
    os.rmdir(retired)
    os.rename(output_dir, retired)
    try:
        os.rename(staging, output_dir)
    except BaseException:
        os.rename(retired, output_dir)  # put the previous build back
        raise
    shutil.rmtree(retired, ignore_errors=True)
