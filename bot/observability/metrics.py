"""Prometheus metrics of one bot process, and the hook that times every update it handles.

Each process (replica) owns its registry and serves it on its own /metrics; Prometheus scrapes
every replica and sums across them, so nothing here is shared between processes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    disable_created_metrics,
    generate_latest,
)
from telegram import Update
from telegram.ext import SimpleUpdateProcessor

import bot

_log = logging.getLogger(__name__)

UPDATE_KINDS = (
    "command",
    "message",
    "callback_query",
    "inline_query",
    "chosen_inline_result",
    "my_chat_member",
    "chat_member",
    "edited_message",
    "other",
)
# deactivated: the chat blocked the bot or is gone; retried: put back (429, network, migration);
# unknown: the request's fate is unclear, so it is never resent.
DELIVERY_OUTCOMES = ("sent", "failed", "deactivated", "retried", "unknown")
WEBHOOK_RESULTS = ("accepted", "forbidden", "bad_request")
# `*_created` timestamps double the exposition and no dashboard here uses them.
disable_created_metrics()  # type: ignore[no-untyped-call]

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    """Every metric the bot exports, registered in one registry (one per process)."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        r = self.registry
        self.updates = Counter(
            "insightbot_updates", "Updates handled, by kind.", ["kind"], registry=r
        )
        self.update_seconds = Histogram(
            "insightbot_update_seconds",
            "Time to handle one update, from receipt until its handlers (and reply) finished.",
            ["kind"],
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.searches = Counter("insightbot_searches", "Searches run.", registry=r)
        self.search_misses = Counter(
            "insightbot_search_misses", "Searches that found nothing.", registry=r
        )
        self.deliveries = Counter(
            "insightbot_deliveries", "Daily insights by outcome.", ["outcome"], registry=r
        )
        self.budget_waits = Counter(
            "insightbot_send_budget_waits",
            "Sends that had to wait for the shared (per bot) send budget.",
            registry=r,
        )
        self.budget_wait_seconds = Counter(
            "insightbot_send_budget_wait_seconds",
            "Seconds spent waiting for the shared send budget.",
            registry=r,
        )
        self.webhook_requests = Counter(
            "insightbot_webhook_requests",
            "Webhook POSTs by result (forbidden = wrong secret token).",
            ["result"],
            registry=r,
        )
        self.ready = Gauge(
            "insightbot_ready", "1 when the database and the corpus answer.", registry=r
        )
        self.build_info = Gauge(
            "insightbot_build_info", "Always 1; labelled with the version.", ["version"], registry=r
        )
        self.build_info.labels(version=bot.__version__).set(1)
        ProcessCollector(registry=r)
        PlatformCollector(registry=r)
        GCCollector(registry=r)
        # Export every series at 0 from the start, so rates and alerts work before the first event.
        for kind in UPDATE_KINDS:
            self.updates.labels(kind=kind)
            self.update_seconds.labels(kind=kind)
        for outcome in DELIVERY_OUTCOMES:
            self.deliveries.labels(outcome=outcome)
        for result in WEBHOOK_RESULTS:
            self.webhook_requests.labels(result=result)

    def observe_update(self, kind: str, seconds: float) -> None:
        """Count one handled update and its handling time."""
        self.updates.labels(kind=kind).inc()
        self.update_seconds.labels(kind=kind).observe(seconds)

    def observe_search(self, *, found: bool) -> None:
        """Count one search; a miss when it found nothing."""
        self.searches.inc()
        if not found:
            self.search_misses.inc()

    def observe_delivery(self, outcome: str, count: int = 1) -> None:
        """Count daily deliveries by outcome (one of DELIVERY_OUTCOMES)."""
        if outcome not in DELIVERY_OUTCOMES:
            raise ValueError(f"unknown delivery outcome {outcome!r}")
        if count:
            self.deliveries.labels(outcome=outcome).inc(count)

    def observe_budget_wait(self, seconds: float) -> None:
        """Count one send that waited `seconds` for the shared send budget."""
        if seconds > 0:
            self.budget_waits.inc()
            self.budget_wait_seconds.inc(seconds)

    def exposition(self) -> tuple[bytes, str]:
        """The registry in Prometheus text format, and its content type."""
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


# This process's metrics. Handlers, services and jobs record into it; /metrics serves it.
METRICS = Metrics()


def update_kind(update: object) -> str:
    """A low-cardinality name for what an update is (never its content)."""
    if not isinstance(update, Update):
        return "other"
    if update.message is not None:
        text = update.message.text or ""
        return "command" if text.startswith("/") else "message"
    for kind in UPDATE_KINDS[2:-1]:
        if getattr(update, kind, None) is not None:
            return kind
    return "other"


class InstrumentedUpdateProcessor(SimpleUpdateProcessor):
    """PTB's default update processor, timing and counting every update it runs."""

    def __init__(self, max_concurrent_updates: int = 1, metrics: Metrics | None = None) -> None:
        super().__init__(max_concurrent_updates)
        self._metrics = metrics if metrics is not None else METRICS

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Await the handlers; record the update's kind and how long they took."""
        started = time.perf_counter()
        try:
            await coroutine
        finally:
            kind = update_kind(update)
            seconds = time.perf_counter() - started
            self._metrics.observe_update(kind, seconds)
            # One line per update for operators: what and how long, never the text.
            _log.info(
                "update handled",
                extra={
                    "kind": kind,
                    "update_id": getattr(update, "update_id", None),
                    "ms": round(seconds * 1000, 1),
                },
            )
