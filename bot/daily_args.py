"""Parse `/daily` arguments into a change request (pure): time, zone, weekdays, topic, langs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

from bot.insights import LANG_MODES, LangMode
from bot.schedule import parse_time, parse_weekdays, zone_name

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
OFF_WORDS = frozenset({"off", "stop", "cancel", "unsubscribe", "关闭", "取消", "退订"})


@dataclass(frozen=True, slots=True)
class DailyChange:
    """What the user asked `/daily` to do; None fields mean "leave as is"."""

    show: bool = False
    off: bool = False
    pick_zone: bool = False  # show the keyboard of common zones
    topic: str | None = None  # None: the general subscription; a slug: that topic's
    at: time | None = None
    tz: str | None = None
    weekdays: int | None = None
    langs: LangMode | None = None


@dataclass(frozen=True, slots=True)
class ParseError:
    """A word `/daily` did not understand, and which kind of thing was expected."""

    word: str
    expected: str  # "topic", "zone", "value"


def parse(args: list[str]) -> DailyChange | ParseError:
    """Understand `/daily [topic SLUG] [HH:MM] [ZONE] [mon-fri] [en|zh|both] [off]` or `tz`."""
    words = [w for w in (a.strip() for a in args) if w]
    if not words:
        return DailyChange(show=True)
    topic: str | None = None
    head = words[0].lower()
    if head in ("tz", "timezone", "zone", "时区"):
        if len(words) == 1:
            return DailyChange(pick_zone=True)
        zone = zone_name(" ".join(words[1:]))
        return DailyChange(tz=zone) if zone else ParseError(" ".join(words[1:]), "zone")
    if head in ("topic", "话题", "主题"):
        if len(words) < 2 or not _SLUG.match(words[1].lower()):
            return ParseError(words[1] if len(words) > 1 else "", "topic")
        topic = words[1].lower()
        words = words[2:]
        if topic in ("all", "any", "-"):
            topic = None
    fields: dict[str, object] = {}
    for word in words:
        low = word.lower()
        if low in OFF_WORDS:
            fields["off"] = True
        elif (at := parse_time(word)) is not None:
            fields["at"] = at
        elif low in LANG_MODES:
            fields["langs"] = low
        elif (days := parse_weekdays(low)) is not None:
            fields["weekdays"] = days
        elif (zone := zone_name(word)) is not None:
            fields["tz"] = zone
        else:
            return ParseError(word, "value")
    change = DailyChange(topic=topic, **fields)  # type: ignore[arg-type]
    if change.off and (change.at or change.tz or change.weekdays or change.langs):
        return ParseError("off", "value")
    return change
