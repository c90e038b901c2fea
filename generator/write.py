"""Phase 5: write rendered files into the output directory, all or nothing, and only what changed.

Files go to a fresh sibling staging directory first. Only when the whole build has succeeded
are they moved into the output: a build that fails at any point leaves the previous output as
it was. A file whose bytes are the same as the previous build's (by the manifest, checked
against the file on disk) is not written again, so an unchanged page keeps its file and the
CDN uploads only what changed.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Iterable

# A directory we may replace: empty, or holding a previous build (it always has this file).
OUTPUT_MARKER = "events.json"
# Creating a file costs a few hundred microseconds on common disks, waiting, not computing:
# several threads overlap that wait (a site of 10,000 events writes 20,000 files).
WRITER_THREADS = 8
Manifest = dict[str, tuple[str, int, int]]  # path -> (sha256, size, mtime_ns)


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


def _safe_relative(relative: str) -> Path:
    path = PurePosixPath(relative)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise OutputError(f"refusing to write outside the output directory: {relative!r}")
    return Path(*path.parts)


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class OutputTransaction:
    """Collects a build's files in a staging directory, then commits them into the output.

    `manifest` is what the previous build wrote (empty: trust nothing, write everything).
    Worker processes share the staging directory: each writes its own files with `put` and
    hands back its `records`, which the main process `merge`s before `commit`.
    """

    def __init__(self, output_dir: Path, manifest: Manifest, staging: Path | None = None):
        self.output_dir = output_dir.resolve()
        self.manifest = manifest if self.output_dir.exists() else {}
        if staging is None:
            self.output_dir.parent.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=f".{self.output_dir.name}.new-",
                                            dir=self.output_dir.parent))
            os.chmod(staging, 0o755)
        self.staging = staging
        # path -> (sha256, size, staged): staged False means "the output already has it".
        self.records: dict[str, tuple[str, int, bool]] = {}
        self._writer: ThreadPoolExecutor | None = None
        self._pending = []

    def unchanged_on_disk(self, relative: str, digest: str) -> bool:
        """True if the output holds exactly these bytes at `relative`, as the last build left."""
        known = self.manifest.get(relative)
        if known is None or known[0] != digest:
            return False
        try:
            stat = (self.output_dir / relative).stat()
        except OSError:
            return False
        return (stat.st_size, stat.st_mtime_ns) == known[1:]

    def keep(self, relative: str, digest: str) -> bool:
        """Keep the output's file as it is, if it is still what the manifest says."""
        if not self.unchanged_on_disk(relative, digest):
            return False
        self.records[relative] = (digest, self.manifest[relative][1], False)
        return True

    def put(self, relative: str, data: bytes) -> None:
        digest = digest_of(data)
        if self.keep(relative, digest):
            return
        if self._writer is None:
            self._writer = ThreadPoolExecutor(WRITER_THREADS)
        self._pending.append(self._writer.submit(_write_file, self.staging / _safe_relative(relative),
                                                 data))
        self.records[relative] = (digest, len(data), True)

    def flush(self) -> None:
        """Wait until every file put is on disk (raising the first error, if any)."""
        pending, self._pending = self._pending, []
        try:
            for future in pending:
                future.result()
        finally:
            if self._writer is not None:
                self._writer.shutdown(wait=True)
                self._writer = None

    @contextmanager
    def put_stream(self, relative: str):
        """A binary file to write a large output into, piece by piece."""
        target = self.staging / _safe_relative(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        hasher = hashlib.sha256()
        size = 0
        with open(target, "wb") as raw:
            class Writer:
                def write(self, data: bytes) -> None:
                    nonlocal size
                    hasher.update(data)
                    size += len(data)
                    raw.write(data)
            yield Writer()
        digest = hasher.hexdigest()
        if self.keep(relative, digest):
            target.unlink()
        else:
            self.records[relative] = (digest, size, True)

    def merge(self, records: dict[str, tuple[str, int, bool]]) -> None:
        self.records.update(records)

    @property
    def written(self) -> list[str]:
        return sorted(self.records)

    def abort(self) -> None:
        try:
            self.flush()
        except OSError:
            pass
        shutil.rmtree(self.staging, ignore_errors=True)

    def commit(self) -> Manifest:
        """Move new and changed files into the output, remove files no longer built, and
        return the new manifest."""
        self.flush()
        try:
            if not self.output_dir.exists() or not any(self.output_dir.iterdir()):
                # A first build: the staging directory becomes the output.
                if self.output_dir.exists():
                    os.rmdir(self.output_dir)
                os.rename(self.staging, self.output_dir)
            else:
                self._move_changed_files()
        except BaseException:
            shutil.rmtree(self.staging, ignore_errors=True)
            raise
        manifest: Manifest = {}
        for relative, (digest, size, staged) in self.records.items():
            if staged:
                stat = (self.output_dir / relative).stat()
                manifest[relative] = (digest, stat.st_size, stat.st_mtime_ns)
            else:
                manifest[relative] = self.manifest[relative]
        return manifest

    def _move_changed_files(self) -> None:
        if not self.manifest:
            # No record of what the output holds: replace it whole, as a first build would.
            retired = Path(tempfile.mkdtemp(prefix=f".{self.output_dir.name}.old-",
                                            dir=self.output_dir.parent))
            os.rmdir(retired)
            os.rename(self.output_dir, retired)
            os.rename(self.staging, self.output_dir)
            shutil.rmtree(retired, ignore_errors=True)
            return
        for relative, (_, _, staged) in sorted(self.records.items()):
            if staged:
                target = self.output_dir / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(self.staging / relative, target)
        # Whatever else the output holds is not this build's: remove it, so nothing stale stays.
        for relative in sorted(_files_below(self.output_dir) - set(self.records)):
            _remove(self.output_dir, relative)
        shutil.rmtree(self.staging, ignore_errors=True)


def _write_file(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def _files_below(root: Path) -> set[str]:
    found = set()
    for folder, _, names in os.walk(root):
        base = Path(folder).relative_to(root)
        found.update((base / name).as_posix() for name in names)
    return found


def _remove(root: Path, relative: str) -> None:
    """Delete a file the build no longer makes, and the folders it leaves empty."""
    path = root / relative
    try:
        path.unlink()
    except FileNotFoundError:
        return
    for parent in path.parents:
        if parent == root:
            break
        try:
            parent.rmdir()
        except OSError:
            break


def write_output(files: Iterable[tuple[str, bytes]], output_dir: Path) -> list[str]:
    """Write every (relative path, bytes) pair, then swap the result in. Returns the paths."""
    transaction = OutputTransaction(output_dir, {})
    try:
        for relative, data in files:
            transaction.put(relative, data)
        transaction.commit()
    except BaseException:
        transaction.abort()
        raise
    return transaction.written
