"""Posting one announcement to Slack, Discord and Matrix: the addresses (from the environment,
never from content), each service's payload and escaping, retries. Standard library only.

Matrix is posted through the client-server API (PUT /rooms/{room}/send/m.room.message/{txnId})
with a bot account's access token rather than a bridge's webhook: it needs nothing installed
beside the homeserver, and the transaction id, made from the occurrence, lets the homeserver
drop a repeat of a post it already has (a retry after a lost answer, a re-run of the workflow).
"""
from __future__ import annotations

import email.utils
import hashlib
import json
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import quote, urlsplit

TIMEOUT_SECONDS = 10
ATTEMPTS = 4  # the first post and three retries
BACKOFF_SECONDS = (1, 2, 4)  # before each retry, unless the service says how long
LONGEST_WAIT_SECONDS = 30  # a service asking for longer is not waited for: the post fails
# Discord refuses urllib's own User-Agent (Cloudflare error 1010). Every request the announcer
# makes (webhooks, the feed, the GitHub API) names itself with this one.
USER_AGENT = "Nextup-announce/1 (a static site generator's chat announcer)"

SLACK, DISCORD, MATRIX = "Slack", "Discord", "Matrix"
# Environment variables (repository secrets in the workflow). Slack and Discord take one or more
# webhook addresses separated by spaces or line breaks.
SLACK_VARIABLE = "NEXTUP_SLACK_WEBHOOK_URL"
DISCORD_VARIABLE = "NEXTUP_DISCORD_WEBHOOK_URL"
MATRIX_VARIABLES = ("NEXTUP_MATRIX_HOMESERVER", "NEXTUP_MATRIX_ROOM_ID",
                    "NEXTUP_MATRIX_ACCESS_TOKEN")
LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")  # plain http only there (tests)
# Words that notify a whole channel or room when they appear in a message's text.
_EVERYONE = re.compile(r"@(everyone|here|channel|room)\b", re.IGNORECASE)
_DISCORD_MARKUP = re.compile(r"([\\*_~`|>#\-\[\]()<:])")


@dataclass(frozen=True, slots=True)
class Webhook:
    service: str
    address: str  # a secret: never printed
    label: str  # what messages call it: "Slack webhook 1 (hooks.slack.com)"
    token: str | None = None  # Matrix only


@dataclass(frozen=True, slots=True)
class Delivery:
    webhook: Webhook
    ok: bool
    detail: str  # what happened, for the report: "posted", "429 three times: ..."
    attempts: int


def webhooks_from_environment(environ) -> tuple[list[Webhook], list[str]]:
    """(the webhooks configured, what is wrong with the variables, one line each)."""
    hooks, problems = [], []
    for service, variable in ((SLACK, SLACK_VARIABLE), (DISCORD, DISCORD_VARIABLE)):
        addresses = (environ.get(variable) or "").split()
        for number, address in enumerate(addresses, 1):
            label = f"{service} webhook {number}" if len(addresses) > 1 else f"{service} webhook"
            wrong = _address_problem(address)
            if wrong:
                problems.append(f"{variable}: {label} {wrong}")
            else:
                hooks.append(Webhook(service, address, f"{label} ({urlsplit(address).hostname})"))
    matrix = {name: (environ.get(name) or "").strip() for name in MATRIX_VARIABLES}
    homeserver, room, token = matrix.values()
    if any(matrix.values()):
        missing = [name for name, value in matrix.items() if not value]
        wrong = _address_problem(homeserver) if homeserver else None
        if missing:
            problems.append(f"{', '.join(missing)}: not set; Matrix needs all of "
                            + ", ".join(MATRIX_VARIABLES))
        elif wrong:
            problems.append(f"{MATRIX_VARIABLES[0]}: the homeserver {wrong}")
        elif not re.fullmatch(r"![^:\s]+:\S+", room):
            problems.append(f'{MATRIX_VARIABLES[1]}: "{room}" is not a room ID; write the ID '
                            "from the room's settings (Advanced), like !abcdef:matrix.org")
        else:
            address = (homeserver.rstrip("/") + "/_matrix/client/v3/rooms/"
                       + quote(room, safe="") + "/send/m.room.message/")
            hooks.append(Webhook(MATRIX, address,
                                 f"Matrix room {room} ({urlsplit(homeserver).hostname})", token))
    return hooks, problems


def _address_problem(address: str) -> str | None:
    try:
        parts = urlsplit(address)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        return "is not a web address"
    if parts.scheme == "https" and parts.hostname:
        return None
    if parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS:
        return None
    return "is not an https:// address"


# --- what is posted ---------------------------------------------------------------------------

def neutral(text: str) -> str:
    """Text from content with its channel-wide mentions broken: @everyone, @here, @channel,
    @room get a zero-width space after the @, so they read the same and notify nobody."""
    return _EVERYONE.sub(lambda m: "@\u200b" + m.group(1), text)


def escape_for(service: str, text: str, is_address: bool = False) -> str:
    """A value from content, made safe inside `service`'s message text: no mentions, no links
    or formatting of its own."""
    if service == SLACK:  # Slack's only control characters; <...> makes links and mentions
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return text if is_address else neutral(text)
    if service == DISCORD and not is_address:  # Markdown, masked links, emoji, headings
        return _DISCORD_MARKUP.sub(r"\\\1", neutral(text))
    return text if is_address else neutral(text)  # Matrix: a plain body, no formatted_body


def payload(service: str, text: str) -> dict:
    if service == SLACK:
        return {"text": text}
    if service == DISCORD:
        return {"content": text[:2000], "allowed_mentions": {"parse": []}}
    # An empty m.mentions says "this mentions nobody", so no push rule treats a word of the
    # text (a display name, @room) as a mention.
    return {"msgtype": "m.text", "body": text, "m.mentions": {}}


def transaction_id(key: str) -> str:
    """The Matrix transaction id of one occurrence's announcement: the same in every run."""
    return "nextup-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


# --- posting ----------------------------------------------------------------------------------

def deliver(hook: Webhook, text: str, key: str, sleep=time.sleep,
            clock=lambda: datetime.now(timezone.utc)) -> Delivery:
    """Post `text` once to `hook`, retrying what a retry cannot duplicate: a 429 or a 5xx answer
    (after the service's Retry-After, or a backoff), a refused connection. A post that got no
    answer in time may have arrived, so it is retried only on Matrix (the transaction id makes
    the retry harmless)."""
    body = json.dumps(payload(hook.service, text), ensure_ascii=False).encode("utf-8")
    address, method = hook.address, "POST"
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT}
    if hook.service == MATRIX:
        address, method = address + transaction_id(key), "PUT"
        headers["Authorization"] = f"Bearer {hook.token}"
    detail = ""
    for attempt in range(1, ATTEMPTS + 1):
        request = urllib.request.Request(address, data=body, method=method, headers=headers)
        wait = BACKOFF_SECONDS[min(attempt, len(BACKOFF_SECONDS)) - 1]
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:
                answer.read(65536)
            return Delivery(hook, True, "posted" + (f" (attempt {attempt})" if attempt > 1
                                                   else ""), attempt)
        except urllib.error.HTTPError as error:
            answer_text = _short(error.read(4096))
            detail = f"answered {error.code} {error.reason}" + (f": {answer_text}"
                                                                if answer_text else "")
            if error.code != 429 and error.code < 500:
                return Delivery(hook, False, detail + _hint(hook, error.code), attempt)
            asked = _retry_after(error.headers.get("Retry-After"), answer_text, clock())
            if asked is not None:
                if asked > LONGEST_WAIT_SECONDS:
                    return Delivery(hook, False, f"{detail}; it asks to wait {asked:g} s, more "
                                    f"than {LONGEST_WAIT_SECONDS} s, so it was not retried",
                                    attempt)
                wait = asked
        except TimeoutError:  # sent, but no answer: it may have arrived
            detail = f"no answer within {TIMEOUT_SECONDS} s"
            if hook.service != MATRIX:
                return Delivery(hook, False, detail + "; not retried, as the post may have "
                                "arrived", attempt)
        except (urllib.error.URLError, OSError) as error:
            # urllib wraps what goes wrong while connecting and sending (refused, no such host,
            # a connection that timed out): the service has not acted on a post it never had.
            detail = f"could not connect ({getattr(error, 'reason', error)})"
        if attempt < ATTEMPTS:
            sleep(wait)
    return Delivery(hook, False, f"{detail}, {ATTEMPTS} times", ATTEMPTS)


def _short(data: bytes) -> str:
    text = data.decode("utf-8", "replace")
    text = re.sub(r"\s+", " ", text).strip()
    return (text[:200] + "…") if len(text) > 200 else text


def _hint(hook: Webhook, code: int) -> str:
    if code in (401, 403) and hook.service == MATRIX:
        return "; check NEXTUP_MATRIX_ACCESS_TOKEN and that the bot has joined the room"
    if code in (403, 404, 410):
        return "; the webhook may have been removed: make a new one and update the secret"
    return ""


def _retry_after(header: str | None, answer_text: str, now: datetime) -> float | None:
    """Seconds the service asks to wait: Retry-After (seconds or an HTTP date), or Discord's
    retry_after (seconds) or Matrix's retry_after_ms in the JSON answer."""
    if header:
        header = header.strip()
        try:
            return max(0.0, float(header))
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(header)
            except (TypeError, ValueError):
                when = None
            if when is not None:
                if when.tzinfo is None:
                    when = when.replace(tzinfo=timezone.utc)
                return max(0.0, (when - now).total_seconds())
    try:
        answer = json.loads(answer_text)
    except ValueError:
        return None
    if isinstance(answer, dict):
        if isinstance(answer.get("retry_after_ms"), (int, float)):
            return max(0.0, answer["retry_after_ms"] / 1000)
        if isinstance(answer.get("retry_after"), (int, float)):
            return max(0.0, float(answer["retry_after"]))
    return None
