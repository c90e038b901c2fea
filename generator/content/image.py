"""Pictures: an event's `image` (with `image_alt`) and the site's `default_image`. A file must
be an ordinary file inside content/ (no "..", no link leading out), of a type browsers show
and that carries no script (PNG, JPEG, WebP, AVIF, GIF: not SVG), and its bytes must be of
that type; an address must be https. Every problem is located at the setting."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from ..model import Image
from .load import display_path, read_content_file

# The file types a picture may have, by extension, and how each one's bytes begin.
IMAGE_TYPES = {"png": "PNG", "jpg": "JPEG", "jpeg": "JPEG", "webp": "WebP", "avif": "AVIF",
               "gif": "GIF"}
# A picture for a page and a link preview needs far less; a photo straight off a camera is
# about 5 MB, and every visitor of the page downloads it.
MAX_IMAGE_BYTES = 10 * 1024 * 1024
_TYPES_WORDS = "png, jpeg, webp, avif or gif"


def image_type(data: bytes) -> str | None:
    """The picture type the bytes are, from their first bytes ("magic numbers"), or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WebP"
    if data[4:8] == b"ftyp" and data[8:12] in (b"avif", b"avis"):
        return "AVIF"
    return None


def check_image(report, data: dict, key: str, content_dir: Path, alt: str | None) -> Image | None:
    """data[key] as an Image (None if absent or wrong, the problems reported)."""
    if key not in data or (key,) in report.rejected:
        return None
    value = data[key]
    if not isinstance(value, str) or not value.strip():
        report.error((key,), "must be text in quotes: a file in content/ or an https:// address",
                     f'write {key} = "images/meetup.jpg" (the file content/images/meetup.jpg)')
        return None
    text = value.strip()
    scheme = text.split(":", 1)[0].lower() if ":" in text else ""
    if scheme == "http":
        report.error((key,), f'"{text}" is not secure (http://)',
                     "use the picture's https:// address, or put the file in content/images/")
        return None
    if scheme == "https":
        try:
            good = bool(urlsplit(text).hostname) and " " not in text
        except ValueError:
            good = False
        if not good:
            report.error((key,), f'"{text}" is not a web address',
                         'write the whole address, like "https://example.org/meetup.jpg"')
            return None
        return Image(text, alt)
    if scheme and len(scheme) > 1:  # "C:\..." is a Windows path, not a scheme
        report.error((key,), f'"{text}" is neither a file in content/ nor an https:// address',
                     f'write {key} = "images/meetup.jpg" for content/images/meetup.jpg')
        return None
    return _image_file(report, key, text, content_dir, alt)


def _image_file(report, key: str, text: str, content_dir: Path, alt) -> Image | None:
    relative = PurePosixPath(text.replace("\\", "/"))
    if relative.is_absolute() or ".." in relative.parts or text.startswith("~"):
        report.error((key,), f'"{text}" leads outside the content folder',
                     "put the picture in content/ (content/images/ is a good place) and write "
                     f'its path from there: {key} = "images/{relative.name or "meetup.jpg"}"')
        return None
    suffix = relative.suffix.lower().lstrip(".")
    if suffix not in IMAGE_TYPES:
        report.error((key,), f'"{text}" is not a picture type Nextup publishes '
                     f"({_TYPES_WORDS})", "save it as .png or .jpg (SVG is refused: it can "
                     "carry scripts)")
        return None
    path = content_dir / relative
    shown = display_path(path)
    if not os.path.lexists(path):
        report.error((key,), f"there is no file {shown}",
                     "check the spelling (capitals count) and that the file is committed")
        return None
    data, refused = read_content_file(path, content_dir, MAX_IMAGE_BYTES)
    if data is None:
        # The reader's own words (a link leading out, a folder, too large), at the setting.
        report.error((key,), f"{shown} {refused[0].message}", refused[0].hint)
        return None
    found = image_type(data)
    if found != IMAGE_TYPES[suffix]:
        report.error((key,), f"{shown} is not a {IMAGE_TYPES[suffix]} picture: its bytes are "
                     + (f"a {found} picture's" if found else "not a picture"),
                     f"save it again as .{suffix} from an image editor"
                     + (f", or rename it to .{_extension_for(found)}" if found else ""))
        return None
    return Image(text, alt, relative.as_posix(), hashlib.sha256(data).hexdigest())


def _extension_for(kind: str) -> str:
    return next(ext for ext, name in IMAGE_TYPES.items() if name == kind)


def check_event_image(report, data: dict, content_dir: Path, value_words) -> Image | None:
    """An event's image and its required image_alt: a picture on a page needs words for people
    who cannot see it (WCAG 1.1.1), and only the editor knows what it shows."""
    alt = None
    if "image_alt" in data and ("image_alt",) not in report.rejected:
        value = data["image_alt"]
        if isinstance(value, str) and value.strip():
            alt = value.strip()
        else:
            report.error(("image_alt",), f"must be text in quotes, not {value_words(value)}",
                         'write image_alt = "..." (what the picture shows)')
    if "image" not in data:
        if "image_alt" in data:
            report.error(("image_alt",), "image_alt is set but image is not",
                         "add image, or delete image_alt")
        return None
    image = check_image(report, data, "image", content_dir, alt)
    if image is not None and "image_alt" not in data:
        report.error(("image",), "image_alt is missing: say what the picture shows, for people "
                     "who cannot see it", 'add image_alt = "..." (for example "The meetup room, '
                     'people pairing at long tables")')
        return None
    return image if alt is not None else None
