"""What is wrong with a web address an editor wrote, if anything: one rule for every field that
takes an https:// address (an RSVP page, a recording, a session's join link or links), so each
says the same thing about the same mistake."""
from __future__ import annotations

from urllib.parse import urlsplit


def https_fault(url: str) -> str | None:
    """None for a usable https:// address; "http" for a plain http:// one (readers are sent
    somewhere insecure); "not an address" for anything else (no host, a bad port, spaces)."""
    try:
        parts = urlsplit(url)
        host_ok = bool(parts.hostname) and (parts.port is None or parts.port > 0)
    except ValueError:
        return "not an address"
    if parts.scheme == "http" and host_ok:
        return "http"
    if parts.scheme != "https" or not host_ok or " " in url:
        return "not an address"
    return None
