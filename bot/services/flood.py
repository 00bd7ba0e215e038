"""Flood control: sliding-window limits per user and per group chat, with one notice per window."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass
from enum import Enum


class Verdict(Enum):
    """What to do with an update."""

    ALLOW = "allow"
    WARN = "warn"  # over the limit: say "slow down" once
    DROP = "drop"  # over the limit and already warned: stay silent (no reply storms)


@dataclass(frozen=True, slots=True)
class Limit:
    """At most `count` updates in `seconds`."""

    count: int
    seconds: float


# A person rarely sends more than a dozen messages in 15 s; Telegram itself lets a bot post about
# 20 messages a minute into one group, so answering more than that there only queues replies.
USER_LIMIT = Limit(12, 15.0)
GROUP_LIMIT = Limit(20, 60.0)


class _Window:
    __slots__ = ("hits", "warned")

    def __init__(self) -> None:
        self.hits: deque[float] = deque()
        self.warned = False

    def admit(self, limit: Limit, now: float) -> Verdict:
        while self.hits and now - self.hits[0] >= limit.seconds:
            self.hits.popleft()
        if len(self.hits) < limit.count:
            self.hits.append(now)
            self.warned = False
            return Verdict.ALLOW
        if self.warned:
            return Verdict.DROP
        self.warned = True
        return Verdict.WARN


MAX_TRACKED = 10_000  # windows kept before idle ones are dropped (bounds memory)


def _prune(table: dict[int, _Window], limit: Limit, now: float) -> None:
    if len(table) > MAX_TRACKED:
        idle = [k for k, w in table.items() if not w.hits or now - w.hits[-1] >= limit.seconds]
        for key in idle:
            del table[key]


class FloodControl:
    """Decides per update; state is per process (each replica guards its own share)."""

    def __init__(self, user: Limit = USER_LIMIT, group: Limit = GROUP_LIMIT) -> None:
        self.user, self.group = user, group
        self._users: dict[int, _Window] = {}
        self._groups: dict[int, _Window] = {}

    def check(self, user_id: int | None, group_id: int | None, now: float | None = None) -> Verdict:
        """Admit or refuse one update from this user (and group chat, if any)."""
        now = time.monotonic() if now is None else now
        _prune(self._users, self.user, now)
        _prune(self._groups, self.group, now)
        verdicts = []
        if user_id is not None:
            verdicts.append(self._users.setdefault(user_id, _Window()).admit(self.user, now))
        if group_id is not None:
            verdicts.append(self._groups.setdefault(group_id, _Window()).admit(self.group, now))
        if Verdict.DROP in verdicts:
            return Verdict.DROP
        return Verdict.WARN if Verdict.WARN in verdicts else Verdict.ALLOW
