"""Callback data for card buttons: everything a press needs, in <= 64 bytes (pure).

A button never points at server memory alone: it carries the excerpt id and, for paging, the
rank plus a short key of the query. The query itself is recovered from an in-process memo or,
after a restart, from the card's own first line (see query_from_header), so buttons keep working
for every member of a group and across restarts.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from enum import StrEnum

from bot.render.html import CALLBACK_LIMIT

SEP = "|"
_ID = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")
_KEY = re.compile(r"^[A-Za-z0-9_-]{8}$")
TOPIC = re.compile(r"^[a-z0-9_-]{1,40}$")
MAX_RANK = 9999


class Act(StrEnum):
    """What a button does."""

    GO = "g"  # show the hit at `n` for query `key` (edits the card)
    OPEN = "o"  # open the hit at `n` from a list (a new message)
    PAGE = "p"  # show page `n` of the list for query `key`
    CONTEXT = "c"  # the excerpts around `excerpt_id`
    MORE = "m"  # the card with full commentary/translation
    CARD = "k"  # back to the plain card
    RANDOM = "r"  # another random excerpt (topic in `excerpt_id`'s slot, or "-")


@dataclass(frozen=True, slots=True)
class Action:
    """A decoded button press."""

    act: Act
    excerpt_id: str = "-"
    key: str = "-"  # query key, "-" when the card did not come from a search
    n: int = 0


def query_key(query: str) -> str:
    """A short stable key for a query (8 url-safe characters)."""
    digest = hashlib.blake2b(query.encode("utf-8"), digest_size=6).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")


def encode(action: Action) -> str | None:
    """The callback data for an action, or None if it would not fit (never sent truncated)."""
    data = SEP.join((action.act.value, action.excerpt_id, action.key, str(action.n)))
    return data if len(data.encode("utf-8")) <= CALLBACK_LIMIT else None


def decode(data: str | None) -> Action | None:
    """The action in callback data, or None for anything malformed, forged or from old code."""
    if not data or len(data.encode("utf-8")) > CALLBACK_LIMIT:
        return None
    parts = data.split(SEP)
    if len(parts) != 4 or not parts[3].isdigit() or len(parts[3]) > 4:
        return None
    try:
        act = Act(parts[0])
    except ValueError:
        return None
    excerpt_id, key, n = parts[1], parts[2], int(parts[3])
    if act is Act.RANDOM:
        ok_subject = excerpt_id == "-" or bool(TOPIC.match(excerpt_id))
    elif act in (Act.GO, Act.OPEN, Act.PAGE):
        ok_subject = excerpt_id == "-"
    else:
        ok_subject = bool(_ID.match(excerpt_id))
    ok_key = key == "-" or bool(_KEY.match(key))
    if act in (Act.GO, Act.OPEN, Act.PAGE) and key == "-":
        return None
    if not (ok_subject and ok_key and n <= MAX_RANK):
        return None
    return Action(act, excerpt_id, key, n)


HEADER_MARK = "🔎 "
HEADER_SEP = " · "


def query_from_header(message_text: str | None, key: str) -> str | None:
    """The query shown on a card's first line ("🔎 query · 2/17"), if it matches the key."""
    if not message_text or not message_text.startswith(HEADER_MARK):
        return None
    first = message_text.split("\n", 1)[0].removeprefix(HEADER_MARK)
    query = first.rsplit(HEADER_SEP, 1)[0].strip()
    return query if query and query_key(query) == key else None
