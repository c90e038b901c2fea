"""Rules about text that every layer shares: which characters no setting may hold, how a message
names one, and the address (slug) form of a name. Pure functions of strings."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Characters no setting may hold: C0 controls (tab and line breaks included: settings are one
# line), DEL, C1 controls, the Unicode line and paragraph separators, and the bidirectional
# embeddings, overrides and isolates that can make text display in an order other than the one
# it is stored in ("Trojan Source"). The plain direction marks (U+200E, U+200F, U+061C) are
# allowed: mixed right-to-left and left-to-right titles need them.
FORBIDDEN_IN_SETTINGS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# The description may also hold tabs and line breaks (carriage returns are read as line breaks).
FORBIDDEN_IN_DESCRIPTION = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_CONTROL_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "BACKSPACE", 0x09: "TAB", 0x0A: "LINE FEED",
                  0x0B: "VERTICAL TAB", 0x0C: "FORM FEED", 0x0D: "CARRIAGE RETURN",
                  0x1B: "ESCAPE", 0x7F: "DELETE"}


def character_words(char: str) -> str:
    """How a message names an unwanted character: "a control character (U+001B ESCAPE)"."""
    code = ord(char)
    name = _CONTROL_NAMES.get(code) or unicodedata.name(char, "")
    label = f"U+{code:04X}" + (f" {name}" if name else "")
    if code in (0x0A, 0x0D, 0x2028, 0x2029):
        return f"a line break ({label})"
    if code == 0x09:
        return f"a tab ({label})"
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        return f"a text-direction control ({label})"
    return f"a control character ({label})"


# --- addresses -----------------------------------------------------------------------------------

_NOT_ASCII_SLUG = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=4096)
def slugify(text: str) -> str:
    """The address form of a name: letters (of any script, with their accents) and digits kept,
    lowercase; everything else becomes one hyphen between words. "Web Site" -> "web-site",
    "Ünïcödé" -> "ünïcödé", "日本語" -> "日本語", "Русский" -> "русский", "!!!" -> "".

    As Hugo does by default: addresses keep the editor's own words, and links percent-encode
    them (render/views.py); transliterating would need a table per language and still merge
    different names. NFKC folds look-alike forms first (full-width letters, ligatures)."""
    if text.isascii():  # the same rule, quicker: most names are ASCII
        return _NOT_ASCII_SLUG.sub("-", text.lower()).strip("-")
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    words, current = [], []
    for char in folded:
        kind = unicodedata.category(char)
        if kind[0] == "L" or kind == "Nd" or (kind[0] == "M" and current):
            current.append(char)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return "-".join(words)


def is_slug(text: str) -> bool:
    """Whether `text` is already an address: what slugify makes of it, unchanged."""
    return bool(text) and slugify(text) == text
