"""Scheduling arithmetic: local times in IANA zones, DST gaps and repeats, midnight, weekdays."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot import daily_args
from bot.schedule import (
    ALL_DAYS,
    WORKDAYS,
    Spec,
    describe_weekdays,
    due_today,
    instant,
    next_slot,
    parse_time,
    parse_weekdays,
    zone_name,
)

NY = "America/New_York"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def deliveries(spec: Spec, start: datetime, end: datetime, step: timedelta) -> list[datetime]:
    """Run the tick's logic every `step` from a subscription made at `start`: queued instants."""
    sent: list[datetime] = []
    last: date | None = None
    due = next_slot(start, spec, None).due_at
    now = start
    while now <= end:
        if now >= due:
            slot = due_today(now, spec, last)
            if slot is not None:
                sent.append(now)
                last = slot.local_date
            due = next_slot(now, spec, last).due_at
        now += step
    return sent


def test_local_time_in_shanghai_is_the_right_utc_instant() -> None:
    slot = next_slot(utc(2026, 3, 1, 0, 0), Spec(time(8, 30), "Asia/Shanghai"), None)
    assert slot.local_date == date(2026, 3, 1)
    assert slot.due_at == utc(2026, 3, 1, 0, 30)


def test_a_time_already_past_today_moves_to_tomorrow() -> None:
    slot = next_slot(utc(2026, 3, 1, 1, 0), Spec(time(8, 30), "Asia/Shanghai"), None)
    assert slot.local_date == date(2026, 3, 2)


def test_nothing_twice_on_a_day_already_delivered() -> None:
    spec = Spec(time(8, 30), "UTC")
    assert due_today(utc(2026, 3, 1, 9, 0), spec, date(2026, 3, 1)) is None
    assert next_slot(utc(2026, 3, 1, 7, 0), spec, date(2026, 3, 1)).local_date == date(2026, 3, 2)


def test_spring_forward_gap_delivers_once_just_after_the_gap() -> None:
    # 2026-03-08 02:30 does not exist in New York: clocks jump 02:00 -> 03:00.
    spec = Spec(time(2, 30), NY)
    assert instant(date(2026, 3, 8), time(2, 30), NY) == utc(2026, 3, 8, 7, 30)  # 03:30 EDT
    sent = deliveries(spec, utc(2026, 3, 7, 12), utc(2026, 3, 9, 12), timedelta(minutes=1))
    local = [s.astimezone(ZoneInfo(NY)) for s in sent]
    assert [d.date() for d in local] == [date(2026, 3, 8), date(2026, 3, 9)]
    assert local[0].hour == 3 and local[0].minute == 30


def test_fall_back_repeat_delivers_once_at_the_first_occurrence() -> None:
    # 2026-11-01 01:30 happens twice in New York (EDT, then EST).
    spec = Spec(time(1, 30), NY)
    sent = deliveries(spec, utc(2026, 10, 31, 12), utc(2026, 11, 2, 12), timedelta(minutes=1))
    assert sent == [
        utc(2026, 11, 1, 5, 30),  # 01:30 EDT, the first of the two 01:30s
        utc(2026, 11, 2, 6, 30),  # 01:30 EST the day after
    ]


def test_midnight_belongs_to_the_new_day() -> None:
    spec = Spec(time(0, 0), "Europe/Berlin")
    slot = next_slot(utc(2026, 6, 1, 21, 59), spec, None)  # 23:59 local
    assert slot.local_date == date(2026, 6, 2)
    assert slot.due_at == utc(2026, 6, 1, 22, 0)
    sent = deliveries(spec, utc(2026, 6, 1, 12), utc(2026, 6, 4, 12), timedelta(minutes=7))
    assert len(sent) == 3


def test_a_zone_whose_dst_gap_is_at_midnight_still_delivers_that_day() -> None:
    # Santiago moved clocks 00:00 -> 01:00 on 2026-09-06: local midnight does not exist.
    zone = "America/Santiago"
    spec = Spec(time(0, 0), zone)
    sent = deliveries(spec, utc(2026, 9, 5, 12), utc(2026, 9, 7, 12), timedelta(minutes=5))
    days = [s.astimezone(ZoneInfo(zone)).date() for s in sent]
    assert days == [date(2026, 9, 6), date(2026, 9, 7)]


def test_late_delivery_catches_up_only_within_the_same_local_day() -> None:
    spec = Spec(time(9, 0), "Asia/Tokyo")
    assert due_today(utc(2026, 5, 1, 14, 59), spec, None) is not None  # 23:59 Tokyo
    assert due_today(utc(2026, 5, 1, 15, 0), spec, None) is None  # 00:00 next day, 09:00 ahead


def test_weekdays_skip_the_weekend() -> None:
    spec = Spec(time(9, 0), "UTC", WORKDAYS)
    friday = date(2026, 1, 2)
    slot = next_slot(utc(2026, 1, 2, 10, 0), spec, friday)
    assert slot.local_date == date(2026, 1, 5)  # Monday
    assert due_today(utc(2026, 1, 3, 10, 0), spec, friday) is None  # Saturday


@pytest.mark.parametrize(
    ("text", "mask"),
    [
        ("mon-fri", WORKDAYS),
        ("weekdays", WORKDAYS),
        ("weekends", 0b1100000),
        ("daily", ALL_DAYS),
        ("mon,wed,fri", 0b0010101),
        ("fri-mon", 0b1110001),
        ("工作日", WORKDAYS),
        ("nonsense", None),
        ("mon-tue-wed", None),
    ],
)
def test_weekday_words(text: str, mask: int | None) -> None:
    assert parse_weekdays(text) == mask


def test_weekday_descriptions() -> None:
    assert describe_weekdays(WORKDAYS) == "mon-fri"
    assert describe_weekdays(ALL_DAYS) == "daily"
    assert describe_weekdays(0b0010101) == "mon,wed,fri"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Asia/Shanghai", "Asia/Shanghai"),
        ("asia/shanghai", "Asia/Shanghai"),
        ("Tokyo", "Asia/Tokyo"),
        ("new york", "America/New_York"),
        ("UTC+8", "Etc/GMT-8"),
        ("utc-5", "Etc/GMT+5"),
        ("utc", "UTC"),
        ("Mars/Olympus", None),
        ("UTC+15", None),
        ("../../etc/passwd", None),
    ],
)
def test_zone_names(text: str, name: str | None) -> None:
    assert zone_name(text) == name


@pytest.mark.parametrize(
    ("text", "value"),
    [("08:30", time(8, 30)), ("8:05", time(8, 5)), ("23:59", time(23, 59)), ("24:00", None)],
)
def test_times(text: str, value: time | None) -> None:
    assert parse_time(text) == value


def test_daily_arguments_in_any_order() -> None:
    change = daily_args.parse(["Asia/Shanghai", "08:30", "mon-fri", "both"])
    assert change == daily_args.DailyChange(
        at=time(8, 30), tz="Asia/Shanghai", weekdays=WORKDAYS, langs="both"
    )


def test_daily_topic_and_off() -> None:
    assert daily_args.parse(["topic", "reasoning"]) == daily_args.DailyChange(topic="reasoning")
    assert daily_args.parse(["topic", "reasoning", "off"]) == daily_args.DailyChange(
        topic="reasoning", off=True
    )
    assert daily_args.parse(["off"]) == daily_args.DailyChange(off=True)
    assert daily_args.parse([]) == daily_args.DailyChange(show=True)


def test_daily_bad_input_names_the_word() -> None:
    assert daily_args.parse(["8.30pm"]) == daily_args.ParseError("8.30pm", "value")
    assert daily_args.parse(["tz", "Nowhere/City"]) == daily_args.ParseError("Nowhere/City", "zone")
    assert daily_args.parse(["topic"]) == daily_args.ParseError("", "topic")
    assert daily_args.parse(["tz"]) == daily_args.DailyChange(pick_zone=True)
