"""Static files: copied from static/, each renamed with a hash of its content.

A hashed name changes whenever the content does, so the CDN can cache everything under
/static/ for a year (netlify.toml) and a visitor never runs old JavaScript against a new page.
Two folders are exceptions, published under their own names with a short cache: static/embed/
(other sites link to its files: the widget, /embed/widget.js) and static/admin/ (the CMS's
scripts, which import each other by name: render/admin.py).
"""
from __future__ import annotations

import hashlib
from pathlib import Path

# Published as they are, at the same path: static/embed/widget.js -> /embed/widget.js.
UNHASHED = ("embed/", "admin/")


def collect_assets(static_dir: Path) -> tuple[dict[str, str], list[tuple[str, bytes]]]:
    """(logical name -> output path, [(output path, bytes)]), paths relative to the site root."""
    names: dict[str, str] = {}
    files: list[tuple[str, bytes]] = []
    if not static_dir.is_dir():
        return names, files
    for path in sorted(p for p in static_dir.rglob("*") if p.is_file()):
        relative = path.relative_to(static_dir).as_posix()
        if any(part.startswith(".") for part in Path(relative).parts):
            continue
        data = path.read_bytes()
        if relative.startswith(UNHASHED):
            names[relative] = relative
            files.append((relative, data))
            continue
        digest = hashlib.sha256(data).hexdigest()[:10]
        output = Path(relative).with_name(f"{path.stem}.{digest}{path.suffix}").as_posix()
        names[relative] = "static/" + output
        files.append(("static/" + output, data))
    return names, files
