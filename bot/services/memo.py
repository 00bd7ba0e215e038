"""A bounded in-process memory of recent queries by key, so buttons can page without a DB."""

from __future__ import annotations

from collections import OrderedDict

from bot.render.actions import query_key


class QueryMemo:
    """Least-recently-used map query_key -> query; a miss falls back to the card's header."""

    def __init__(self, capacity: int = 10_000) -> None:
        self._capacity = capacity
        self._queries: OrderedDict[str, str] = OrderedDict()

    def remember(self, query: str) -> str:
        """Store the query and return its key."""
        key = query_key(query)
        self._queries[key] = query
        self._queries.move_to_end(key)
        while len(self._queries) > self._capacity:
            self._queries.popitem(last=False)
        return key

    def recall(self, key: str) -> str | None:
        """The query with this key, if still remembered."""
        query = self._queries.get(key)
        if query is not None:
            self._queries.move_to_end(key)
        return query
