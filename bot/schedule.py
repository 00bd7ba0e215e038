"""Pure time arithmetic for daily deliveries: local times, IANA zones, weekdays, DST (zoneinfo)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

ALL_DAYS = 0b1111111  # bit i = date.weekday() == i (Monday is 0)
WORKDAYS = 0b0011111
WEEKEND = 0b1100000
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# The keyboard of common zones offered by `/daily tz` (IANA names; one tap sets the chat's zone).
COMMON_ZONES = (
    "UTC",
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Taipei",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Moscow",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Australia/Sydney",
)

_TIME = re.compile(r"^([01]?\d|2[0-3])[:：.]([0-5]\d)$")
_OFFSET = re.compile(r"^(?:utc|gmt)?([+-])(\d{1,2})$", re.IGNORECASE)
_ALIASES = {"mo": 0, "tu": 1, "we": 2, "th": 3, "fr": 4, "sa": 5, "su": 6}


@dataclass(frozen=True, slots=True)
class Spec:
    """When a subscription delivers: a local wall-clock time, a zone and the allowed weekdays."""

    at: time
    tz: str
    weekdays: int = ALL_DAYS


@dataclass(frozen=True, slots=True)
class Slot:
    """One delivery: the local date it belongs to and the UTC instant it is due."""

    local_date: date
    due_at: datetime


def parse_time(text: str) -> time | None:
    """'8:30', '08:30' or '20.15' as a wall-clock time, or None."""
    match = _TIME.match(text.strip())
    return time(int(match.group(1)), int(match.group(2))) if match else None


@cache
def _zones_by_lower() -> dict[str, str]:
    names = available_timezones()
    table = {name.lower(): name for name in names}
    # Let people type just the city ("shanghai", "new_york", "new york") when it is unambiguous.
    cities: dict[str, list[str]] = {}
    for name in names:
        if "/" in name:
            city = name.rsplit("/", 1)[1].lower()
            cities.setdefault(city, []).append(name)
    for city, full in cities.items():
        if len(full) == 1 and city not in table:
            table[city] = full[0]
    return table


def zone_name(text: str) -> str | None:
    """The IANA name for what a user typed ('asia/shanghai', 'Tokyo', 'UTC+8'), or None."""
    raw = text.strip().replace(" ", "_")
    if not raw or len(raw) > 64:
        return None
    offset = _OFFSET.match(raw)
    if offset:
        hours = int(offset.group(2))
        if hours == 0:
            return "UTC"
        if hours > 14:
            return None
        # POSIX-style Etc zones invert the sign: UTC+8 is Etc/GMT-8.
        sign = "-" if offset.group(1) == "+" else "+"
        return f"Etc/GMT{sign}{hours}"
    name = _zones_by_lower().get(raw.lower())
    if name is None:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def parse_weekdays(text: str) -> int | None:
    """'mon-fri', 'weekdays', 'weekends', 'daily', 'mon,wed,fri' as a weekday mask, or None."""
    raw = text.strip().lower()
    named = {
        "daily": ALL_DAYS,
        "everyday": ALL_DAYS,
        "weekdays": WORKDAYS,
        "workdays": WORKDAYS,
        "weekends": WEEKEND,
        "weekend": WEEKEND,
        "工作日": WORKDAYS,
        "周末": WEEKEND,
        "每天": ALL_DAYS,
    }
    if raw in named:
        return named[raw]
    mask = 0
    for part in raw.split(","):
        bounds = part.split("-")
        if len(bounds) > 2:
            return None
        days = [_day(b) for b in bounds]
        if any(d is None for d in days):
            return None
        first, last = days[0], days[-1]
        assert first is not None and last is not None
        # A range may wrap around the week ("fri-mon").
        span = range(first, last + 1) if first <= last else [*range(first, 7), *range(last + 1)]
        for day in span:
            mask |= 1 << day
    return mask or None


def _day(text: str) -> int | None:
    word = text.strip()[:3]
    if word in DAY_NAMES:
        return DAY_NAMES.index(word)
    return _ALIASES.get(word[:2]) if len(word) >= 2 else None


def describe_weekdays(mask: int) -> str:
    """A compact English label for a mask: 'daily', 'mon-fri', 'sat,sun', 'mon,wed'."""
    if mask == ALL_DAYS:
        return "daily"
    days = [i for i in range(7) if mask >> i & 1]
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return f"{DAY_NAMES[days[0]]}-{DAY_NAMES[days[-1]]}"
    return ",".join(DAY_NAMES[d] for d in days)


def local_today(now: datetime, tz: str) -> date:
    """The calendar date in `tz` at the aware instant `now`."""
    return now.astimezone(ZoneInfo(tz)).date()


def instant(local_date: date, at: time, tz: str) -> datetime:
    """The UTC instant of a local wall-clock time.

    A time inside a spring-forward gap resolves (fold=0) to the same distance after the gap,
    e.g. 02:30 becomes 03:30 daylight time; a repeated fall-back time means its first occurrence.
    Either way each local date has exactly one instant, so it is delivered once.
    """
    local = datetime.combine(local_date, at, tzinfo=ZoneInfo(tz))
    return local.astimezone(UTC)


def due_today(now: datetime, spec: Spec, last_date: date | None) -> Slot | None:
    """Today's slot if it is due by `now` and not yet delivered (late is fine, same day)."""
    today = local_today(now, spec.tz)
    if last_date is not None and last_date >= today:
        return None
    if not spec.weekdays >> today.weekday() & 1:
        return None
    due = instant(today, spec.at, spec.tz)
    return Slot(today, due) if due <= now else None


def next_slot(now: datetime, spec: Spec, last_date: date | None) -> Slot:
    """The first slot after `last_date` whose instant is still ahead of (or at) `now`."""
    if spec.weekdays & ALL_DAYS == 0:
        raise ValueError("a schedule needs at least one weekday")
    day = local_today(now, spec.tz)
    if last_date is not None and last_date >= day:
        day = last_date + timedelta(days=1)
    # At most 8 steps: one full week plus today's slot that may already have passed.
    for _ in range(9):
        if spec.weekdays >> day.weekday() & 1:
            due = instant(day, spec.at, spec.tz)
            if due >= now:
                return Slot(day, due)
        day += timedelta(days=1)
    raise AssertionError("unreachable: a week always contains an allowed day")  # pragma: no cover
