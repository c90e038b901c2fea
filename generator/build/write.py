"""Phase 5: commit a build's files into the output directory, all or nothing.

What is guaranteed, and how (README, "What a build guarantees"):

- **Whole old or whole new.** A build writes its files into a staging directory beside the
  output. Files that did not change are hard links to the previous build's (same inode, same
  modification time, so the CDN sees them unchanged). When the staging directory is complete,
  one `renameat2(RENAME_EXCHANGE)` swaps it with the output: a process killed at any moment
  leaves either the old output or the new one, never a mix. Where the kernel or file system has
  no exchange, two renames do it, with a journal so that the next build finishes (or undoes)
  a swap that was cut in half.
- **A mount point** (a Docker volume, a bind mount) cannot be renamed. There the staging
  directory is made inside the output and the files are moved in one by one, each replaced
  atomically, after a journal of the moves is written: a build killed in that step leaves a
  journal that the next build completes before anything else. Readers may see a mix of old and
  new files while that step runs; the build says so in one line.
- **Nothing that is not ours is lost.** A folder is taken for a previous build only if it holds
  the marker file (`.nextup-site`), which lists every file that build wrote. A file in the
  output that the marker does not list was put there by someone else: it is kept, and the
  build warns. Files that belong in every build go in `content/public/` (copied verbatim).
- **One build at a time.** Builds into one output take a lock (`flock`, released by the kernel
  when the process dies, so a killed build never leaves it held); a second build waits.
  Staging directories of killed builds are removed by the next build.
"""
from __future__ import annotations

import ctypes
import errno
import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

# The file that marks a folder as a Nextup build, listing the files that build wrote.
OUTPUT_MARKER = ".nextup-site"
_MARKER_HEADING = ("# Written by Nextup. This folder is a built site: the next build replaces "
                   "the files listed below.\n# Files not listed are kept. See README.md, "
                   '"What a build guarantees".\n')
IN_PLACE_STAGING_PREFIX = ".nextup-staging-"  # inside the output, on a mount point
IN_PLACE_JOURNAL = ".nextup-commit"  # inside the output, while files are moved in
OURS_IN_OUTPUT = (OUTPUT_MARKER, IN_PLACE_JOURNAL)  # never the user's, never listed
RESERVED_IN_OUTPUT = (OUTPUT_MARKER, IN_PLACE_JOURNAL, IN_PLACE_STAGING_PREFIX)  # name prefixes
LOCK_WAIT_SECONDS = 600
Manifest = dict[str, tuple[str, int, int]]  # path -> (sha256, size, mtime_ns)


class OutputError(Exception):
    """The output directory is not one a build may replace (a usage problem: wrong --output)."""


class OutputUnavailable(Exception):
    """The machine stops the build: disk full, read-only, no permission, lock held too long."""


def describe_os_error(error: OSError) -> str:
    """One line for an OSError: what failed and where, without a traceback."""
    what = error.strerror or str(error)
    where = f": {error.filename}" if error.filename else ""
    if error.errno == errno.ENOSPC:
        return f"no space left on the device{where}"
    if error.errno == errno.EROFS:
        return f"the file system is read-only{where}"
    if error.errno in (errno.EACCES, errno.EPERM):
        return f"permission denied{where}"
    return f"{what.lower()}{where}"


def check_output_dir(output_dir: Path, content_dir: Path | None = None) -> None:
    output_dir = output_dir.resolve()
    if content_dir is not None:
        content = content_dir.resolve()
        if output_dir == content or content in output_dir.parents or output_dir in content.parents:
            raise OutputError(f"the output directory {output_dir} overlaps the content directory; "
                              "choose another --output")
    if output_dir.exists() and not output_dir.is_dir():
        raise OutputError(f"{output_dir} exists and is not a directory")


def previous_build_files(output_dir: Path, manifest: Manifest) -> set[str]:
    """The files the previous build wrote into `output_dir` (empty for a new or empty folder).

    Raises OutputError for a folder that holds files and no marker: it is not ours to replace.
    A build from before the marker existed is recognised by the cache's manifest instead, when
    that lists every file the folder holds."""
    if not output_dir.is_dir():
        return set()
    marker = output_dir / OUTPUT_MARKER
    if marker.is_file():
        return read_marker(marker)
    present = files_below(output_dir)
    if not present:
        return set()
    if manifest and present <= set(manifest):
        return present
    raise OutputError(f"{output_dir} is not empty and is not a Nextup build (it has no "
                      f"{OUTPUT_MARKER} file); refusing to replace it. Choose another --output, "
                      "or empty the folder if it really is an old build")


def read_marker(marker: Path) -> set[str]:
    try:
        text = marker.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return set()
    return {line for line in text.split("\n") if line and not line.startswith("#")
            and _is_safe_relative(line)}


def marker_bytes(paths) -> bytes:
    return (_MARKER_HEADING + "".join(p + "\n" for p in sorted(paths))).encode("utf-8")


def _parts_inside(relative: str) -> list[str] | None:
    """`relative`'s names, as PurePosixPath would part them, or None for a path that is empty,
    absolute or climbs out (without pathlib: this runs for each of a large build's 50,000
    files, and for each line of the marker)."""
    parts = [part for part in relative.split("/") if part not in ("", ".")]
    if not parts or relative.startswith("/") or ".." in parts:
        return None
    return parts


def _is_safe_relative(relative: str) -> bool:
    return _parts_inside(relative) is not None


def _safe_parts(relative: str) -> list[str]:
    parts = _parts_inside(relative)
    if parts is None:
        raise OutputError(f"refusing to write outside the output directory: {relative!r}")
    return parts


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- the lock ------------------------------------------------------------------------------------

@contextmanager
def output_lock(output_dir: Path, tell=print, wait_seconds: float = LOCK_WAIT_SECONDS):
    """Hold the lock of `output_dir` for the duration: `.nextup-cache/<name>.lock` beside it
    (or, where its parent is read-only, the output directory itself). A second build waits."""
    output_dir = output_dir.resolve()
    lock_file = output_dir.parent / ".nextup-cache" / f"{output_dir.name}.lock"
    try:
        lock_file.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(lock_file, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError:
        # No lock file can be made (a read-only parent, a file named .nextup-cache): lock a
        # folder itself, which flock allows. The parent's lock also holds off sibling outputs.
        folder = output_dir if output_dir.is_dir() else output_dir.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(folder, os.O_RDONLY | os.O_CLOEXEC)
        except OSError as error:
            raise OutputUnavailable(f"cannot lock {output_dir}/ against other builds: "
                                    f"{describe_os_error(error)}") from None
    try:
        _acquire(descriptor, output_dir, lock_file, tell, wait_seconds)
        yield
    finally:
        os.close(descriptor)  # releases the lock


def _acquire(descriptor: int, output_dir: Path, lock_file: Path, tell, wait_seconds: float):
    deadline = None
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if deadline is None:
                holder = _lock_holder(lock_file)
                tell(f"Waiting for another build into {output_dir}/ to finish"
                     + (f" (process {holder})" if holder else "") + "...")
                deadline = time.monotonic() + wait_seconds
            elif time.monotonic() > deadline:
                raise OutputUnavailable(
                    f"another build into {output_dir}/ has held its lock for "
                    f"{wait_seconds:.0f} s; stop it or wait for it, then build again") from None
            time.sleep(0.05)
    try:  # who holds it, for the message a waiting build prints
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)
    except OSError:
        pass  # the output directory itself is the lock: nothing to write


def _lock_holder(lock_file: Path) -> str | None:
    try:
        text = lock_file.read_text().strip()
    except OSError:
        return None
    return text if text.isdigit() else None


# --- leftovers of interrupted builds ---------------------------------------------------------------

def _staging_prefix(output_dir: Path) -> str:
    return f".{output_dir.name}.new-"


def _retired_prefix(output_dir: Path) -> str:
    return f".{output_dir.name}.old-"


def _swap_journal(output_dir: Path) -> Path:
    return output_dir.parent / f".{output_dir.name}.swap"


def recover_interrupted_commit(output_dir: Path) -> list[str]:
    """Finish what a killed build left half done, and remove its staging directories. Call with
    the lock held. Returns a line for each thing recovered, for the build to tell."""
    output_dir = output_dir.resolve()
    told = []
    journal = _swap_journal(output_dir)
    if journal.exists():  # killed between the two renames of a swap without exchange
        staging, retired = _read_json(journal, ("staging", "retired"))
        if not output_dir.exists():
            source = staging if staging and staging.exists() else retired
            if source and source.exists():
                os.rename(source, output_dir)
                told.append(f"finished the swap of a build that was interrupted ({output_dir}/ "
                            + ("is that build's" if source == staging else "is the one before it")
                            + ")")
        journal.unlink()
    in_place = output_dir / IN_PLACE_JOURNAL
    if in_place.exists():
        _finish_in_place_commit(output_dir, in_place)
        told.append(f"finished writing the files of a build that was interrupted into "
                    f"{output_dir}/")
    # What is left then is of no use: staging of builds that never committed, a retired build,
    # journals killed while being written.
    stale = [entry for entry in (output_dir.parent.iterdir() if output_dir.parent.is_dir() else ())
             if entry.name.startswith((_staging_prefix(output_dir), _retired_prefix(output_dir)))
             or entry.name == journal.name + ".tmp"]
    stale += [entry for entry in (output_dir.iterdir() if output_dir.is_dir() else ())
              if entry.name.startswith(IN_PLACE_STAGING_PREFIX)
              or entry.name == IN_PLACE_JOURNAL + ".tmp"]
    for entry in stale:
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
    return told


def _read_json(path: Path, keys) -> tuple:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return tuple(None for _ in keys)
    return tuple(path.parent / data[k] if isinstance(data.get(k), str) else None for k in keys)


# --- exchanging two directories --------------------------------------------------------------------

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
try:
    _renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
except (OSError, AttributeError):  # not Linux, or a C library without it
    _renameat2 = None


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories in one step. False if this system cannot (then the caller swaps
    in two renames); raises OSError for other failures (EBUSY on a mount point, EXDEV...)."""
    if _renameat2 is None:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


@contextmanager
def signals_held():
    """SIGTERM and SIGINT wait while a commit's few irreversible steps run (SIGKILL cannot, and
    the journal covers it)."""
    held = {signal.SIGTERM, signal.SIGINT}
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    except (AttributeError, ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _is_mount_point(path: Path) -> bool:
    """A mount point cannot be renamed. os.path.ismount misses bind mounts of a folder of the
    same file system, so the kernel's own list is read where there is one."""
    try:
        with open("/proc/self/mountinfo", "rb") as table:
            fields = [line.split() for line in table]
    except OSError:
        return os.path.ismount(path)
    # The fifth field is the mount point, with spaces and the like written as \ooo.
    points = {os.fsdecode(re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m[1], 8)]), f[4]))
              for f in fields if len(f) > 4}
    return str(path) in points or os.path.ismount(path)


# --- the transaction -------------------------------------------------------------------------------

class OutputTransaction:
    """Collects a build's files in a staging directory, then commits them into the output.

    `manifest` is what the previous build wrote, with sizes and modification times (empty: trust
    nothing, write everything); `previous` the files its marker lists (what is ours to remove).
    Worker processes share the staging directory: each writes its own files with `put` and
    hands back its `records`, which the main process `merge`s before `commit`.
    """

    def __init__(self, output_dir: Path, manifest: Manifest, staging: Path | None = None,
                 previous: set[str] | None = None):
        self.output_dir = output_dir.resolve()
        self.manifest = manifest if self.output_dir.exists() else {}
        self.previous = previous or set()
        self.in_place = False  # staging inside the output, files moved in one by one
        self.notices: list[str] = []  # what the build should tell about how it wrote
        if staging is None:
            staging = self._make_staging()
        self.staging = staging
        # path -> (sha256, size, staged): staged False means "the output already has it".
        self.records: dict[str, tuple[str, int, bool]] = {}
        self._staging_text = str(staging)
        self._output_text = str(self.output_dir)
        self._folders: set[str] = set()  # folders of the staging made so far
        self._committed = False

    def _make_staging(self) -> Path:
        parent = self.output_dir.parent
        if not (self.output_dir.is_dir() and _is_mount_point(self.output_dir)):
            try:
                parent.mkdir(parents=True, exist_ok=True)
                staging = Path(tempfile.mkdtemp(prefix=_staging_prefix(self.output_dir),
                                                dir=parent))
                os.chmod(staging, 0o755)
                return staging
            except OSError as error:
                if not self.output_dir.is_dir():
                    raise
                reason = f"its parent folder cannot be written ({describe_os_error(error)})"
        else:
            reason = "it is a mount point"
        return self._in_place_staging(reason)

    def _in_place_staging(self, reason: str) -> Path:
        self.in_place = True
        self.notices.append(
            f"{self.output_dir}/ cannot be swapped whole ({reason}): its files are replaced "
            "one by one, each atomically; a build killed meanwhile is completed by the next")
        staging = Path(tempfile.mkdtemp(prefix=IN_PLACE_STAGING_PREFIX, dir=self.output_dir))
        os.chmod(staging, 0o755)
        return staging

    def unchanged_on_disk(self, relative: str, digest: str) -> bool:
        """True if the output holds exactly these bytes at `relative`, as the last build left."""
        known = self.manifest.get(relative)
        if known is None or known[0] != digest:
            return False
        try:
            stat = os.stat(os.path.join(self._output_text, relative))
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
        # Written here, in the calling thread: a pool of writer threads was slower for the
        # same files (docs/performance.md, "Files are written where they are made"), as the
        # threads only fight the rendering thread for the GIL.
        self._write(relative, data)
        self.records[relative] = (digest, len(data), True)

    def _write(self, relative: str, data: bytes) -> None:
        parts = _safe_parts(relative)
        folder = os.path.join(self._staging_text, *parts[:-1])
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        descriptor = os.open(os.path.join(folder, parts[-1]),
                             os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(descriptor, view):]
        finally:
            os.close(descriptor)

    @contextmanager
    def put_stream(self, relative: str):
        """A binary file to write a large output into, piece by piece. While what is written
        is the same as the output's file of the last build, nothing is written: a refresh
        makes the calendar feeds again (tens of MB on a large site) and most keep their bytes."""
        parts = _safe_parts(relative)
        old = None
        if relative in self.manifest:
            try:
                old = open(os.path.join(self._output_text, *parts), "rb")
            except OSError:
                old = None
        stream = _Stream(os.path.join(self._staging_text, *parts), old)
        try:
            yield stream
            digest = stream.hasher.hexdigest()
            if stream.same_as_old() and self.keep(relative, digest):
                return
            stream.materialise()
            self.records[relative] = (digest, stream.size, True)
        finally:
            stream.close()

    def merge(self, records: dict[str, tuple[str, int, bool]]) -> None:
        self.records.update(records)

    @property
    def written(self) -> list[str]:
        return sorted(self.records)

    def foreign_files(self) -> list[str]:
        """Files in the output that no Nextup build wrote (the user's): they are kept."""
        if not self.output_dir.is_dir():
            return []
        return sorted(p for p in files_below(self.output_dir) - self.previous - set(self.records)
                      if p not in OURS_IN_OUTPUT
                      and not p.startswith(IN_PLACE_STAGING_PREFIX))

    def claimed_foreign_files(self) -> list[str]:
        """Files of the user's at a path this build writes: committing would replace them."""
        if not self.output_dir.is_dir():
            return []
        return sorted(p for p in set(self.records) - self.previous
                      if (self.output_dir / p).is_file() and p not in self.manifest)

    def abort(self) -> None:
        if not self._committed:
            shutil.rmtree(self.staging, ignore_errors=True)

    def commit(self, foreign: list[str] | None = None) -> Manifest:
        """Make the output hold exactly this build's files and the user's own (`foreign`, as
        foreign_files() gives them), then return the new manifest."""
        foreign = self.foreign_files() if foreign is None else foreign
        marker = marker_bytes(self.records)
        marker_unchanged = _bytes_or_none(self.output_dir / OUTPUT_MARKER) == marker
        if not marker_unchanged:
            (self.staging / OUTPUT_MARKER).write_bytes(marker)
        if self.in_place:
            self._commit_in_place()
        else:
            self._link_unchanged_files(foreign + [OUTPUT_MARKER] * marker_unchanged)
            try:
                previous_build = self._swap()
            except OSError as error:
                if error.errno not in (errno.EBUSY, errno.EXDEV):
                    raise
                # A mount point that the mount table did not show: move the staged files in.
                self._move_staging_into_output("it is a mount point")
                self._commit_in_place()
            else:
                if previous_build is not None:
                    shutil.rmtree(previous_build, ignore_errors=True)
        manifest: Manifest = {}
        for relative, (digest, size, staged) in self.records.items():
            if staged:
                stat = os.stat(os.path.join(self._output_text, relative))
                manifest[relative] = (digest, stat.st_size, stat.st_mtime_ns)
            else:
                manifest[relative] = self.manifest[relative]
        return manifest

    def _link_unchanged_files(self, foreign: list[str]) -> None:
        """Give the staging directory the files it keeps from the output: this build's unchanged
        files and the user's own. Hard links: same bytes, same inode, no copy."""
        kept = [r for r, (_, _, staged) in self.records.items() if not staged] + foreign
        # Paths as strings, not pathlib's: a refresh of a large site links 50,000 files.
        staging, output = str(self.staging), str(self.output_dir)
        for relative in sorted(kept):
            target = os.path.join(staging, relative)
            folder = os.path.dirname(target)
            if folder not in self._folders:
                os.makedirs(folder, exist_ok=True)
                self._folders.add(folder)
            source = os.path.join(output, relative)
            try:
                os.link(source, target, follow_symlinks=False)
            except OSError as error:
                if error.errno not in (errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EXDEV):
                    raise
                shutil.copy2(source, target, follow_symlinks=False)

    def _swap(self) -> Path | None:
        """Put the staging directory in the output's place; return where the previous build
        now is (None if there was none), for the caller to remove."""
        output, staging = self.output_dir, self.staging
        with signals_held():
            if not output.exists():
                os.rename(staging, output)
                self._committed = True
                return None
            if _exchange(staging, output):
                self._committed = True
                return staging
            retired = Path(tempfile.mkdtemp(prefix=_retired_prefix(output), dir=output.parent))
            os.rmdir(retired)
            journal = _swap_journal(output)
            _write_atomically(journal, json.dumps({"staging": staging.name,
                                                   "retired": retired.name}).encode())
            os.rename(output, retired)
            os.rename(staging, output)
            self._committed = True
            journal.unlink()
            return retired

    def _move_staging_into_output(self, reason: str) -> None:
        outside = self.staging
        self.staging = self._in_place_staging(reason)
        self._staging_text, self._folders = str(self.staging), set()
        for entry in outside.iterdir():
            shutil.move(str(entry), str(self.staging / entry.name))
        shutil.rmtree(outside, ignore_errors=True)

    def _commit_in_place(self) -> None:
        staged = sorted(r for r, (_, _, is_staged) in self.records.items() if is_staged)
        if (self.staging / OUTPUT_MARKER).exists():
            staged.append(OUTPUT_MARKER)
        plan = {"staging": self.staging.name, "move": staged,
                "remove": sorted(self.previous - set(self.records) - set(OURS_IN_OUTPUT))}
        journal = self.output_dir / IN_PLACE_JOURNAL
        _write_atomically(journal, json.dumps(plan).encode())
        self._committed = True
        with signals_held():
            _finish_in_place_commit(self.output_dir, journal)


def _finish_in_place_commit(output_dir: Path, journal: Path) -> None:
    """Carry out (or carry on) an in-place commit's plan: move each staged file over its old
    version, remove the files no longer built, then the staging directory and the journal."""
    try:
        plan = json.loads(journal.read_text(encoding="utf-8"))
        staging = output_dir / plan["staging"]
        moves, removals = list(plan["move"]), list(plan["remove"])
    except (OSError, ValueError, KeyError, TypeError):
        journal.unlink(missing_ok=True)  # unreadable: the build that wrote it had not started
        return
    for relative in moves:
        if not _is_safe_relative(relative):
            continue
        source = staging / relative
        target = output_dir / relative
        if source.exists() and _inside(output_dir, target):
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
    for relative in removals:
        if _is_safe_relative(relative):
            _remove(output_dir, relative)
    shutil.rmtree(staging, ignore_errors=True)
    journal.unlink(missing_ok=True)


class _Stream:
    """What put_stream gives: hashes everything written, and writes it to `target` only from
    the first byte that differs from `old` (the last build's file), copying the equal part
    from `old` then."""

    def __init__(self, target: str, old):
        self.target, self.old = target, old
        self.hasher = hashlib.sha256()
        self.size = 0
        self.matched = 0  # bytes equal to old's, not written yet
        self.out = None
        if old is None:
            self._open()

    def write(self, data: bytes) -> None:
        self.hasher.update(data)
        self.size += len(data)
        if self.out is None:
            if self.old.read(len(data)) == data:
                self.matched += len(data)
                return
            self._open()
        self.out.write(data)

    def same_as_old(self) -> bool:
        """Everything written equals the old file, and the old file has no more."""
        return self.out is None and self.old.read(1) == b""

    def materialise(self) -> None:
        """Make sure `target` holds everything written (the equal part, copied from old)."""
        if self.out is None:
            self._open()

    def _open(self) -> None:
        os.makedirs(os.path.dirname(self.target), exist_ok=True)
        self.out = open(self.target, "wb")
        if self.matched:
            self.old.seek(0)
            remaining = self.matched
            while remaining:
                chunk = self.old.read(min(remaining, 1 << 20))
                if not chunk:
                    raise OSError(f"{self.target}: the last build's file shrank while read")
                self.out.write(chunk)
                remaining -= len(chunk)

    def close(self) -> None:
        for file in (self.out, self.old):
            if file is not None:
                file.close()


def _bytes_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def files_below(root: Path) -> set[str]:
    """Every entry below `root` that is not a real folder: files, and links (to folders too,
    which are kept as links, never followed)."""
    found = set()
    pending = [(root, "")]
    while pending:
        folder, prefix = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((Path(entry.path), f"{prefix}{entry.name}/"))
                else:
                    found.add(prefix + entry.name)
    return found


def _inside(root: Path, path: Path) -> bool:
    """`path`'s folder is really in `root`: no link on the way leads elsewhere."""
    folder, top = os.path.realpath(path.parent), os.path.realpath(root)
    return folder == top or folder.startswith(top + os.sep)


def _remove(root: Path, relative: str) -> None:
    """Delete a file the build no longer makes, and the folders it leaves empty."""
    path = root / relative
    if not _inside(root, path):
        return
    try:
        path.unlink()
    except (FileNotFoundError, IsADirectoryError):
        return
    for parent in path.parents:
        if parent == root:
            break
        try:
            parent.rmdir()
        except OSError:
            break
