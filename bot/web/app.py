"""The Starlette app a replica serves: the Bot API webhook, /healthz, /readyz and /metrics."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from http import HTTPStatus
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application

from bot.observability.metrics import METRICS, Metrics
from bot.web.paths import HEALTH_PATH, METRICS_PATH, READY_PATH, RESERVED_PATHS

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name

# Telegram's updates are a few KiB; anything far larger is not from Telegram.
MAX_BODY_BYTES = 1 << 20
READY_TIMEOUT_SECONDS = 3.0

Readiness = Callable[[], Awaitable[Mapping[str, bool]]]
AnyApplication = Application[Any, Any, Any, Any, Any, Any]

_log = logging.getLogger(__name__)


def create_web_app(
    application: AnyApplication,
    *,
    webhook_path: str,
    secret_token: str,
    readiness: Readiness,
    metrics: Metrics = METRICS,
) -> Starlette:
    """The HTTP app: POST webhook_path feeds updates to `application`; probes and metrics."""
    if webhook_path in RESERVED_PATHS:
        raise ValueError(f"the webhook path {webhook_path} is reserved for probes and metrics")
    expected = secret_token.encode()

    async def webhook(request: Request) -> Response:
        """Handle one update from Telegram; 200 once its handlers (and reply) are done."""
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            metrics.webhook_requests.labels(result="forbidden").inc()
            _log.warning("webhook refused: wrong or missing secret token")
            return PlainTextResponse("forbidden", status_code=HTTPStatus.FORBIDDEN)
        update = await _read_update(request, application)
        if update is None:
            metrics.webhook_requests.labels(result="bad_request").inc()
            return PlainTextResponse("not a Telegram update", status_code=HTTPStatus.BAD_REQUEST)
        if not application.running:
            # Shutting down: a non-2xx makes Telegram deliver it again, to a running replica.
            return PlainTextResponse("stopping", status_code=HTTPStatus.SERVICE_UNAVAILABLE)
        metrics.webhook_requests.labels(result="accepted").inc()
        # Handle it inside the request rather than queueing it: Telegram redelivers an update
        # whose request failed, so a crash mid-update loses nothing, and a graceful stop (which
        # waits for open requests) finishes it. The processor keeps PTB's concurrency limit.
        await application.update_processor.process_update(
            update, application.process_update(update)
        )
        return Response(status_code=HTTPStatus.OK)

    async def healthz(_: Request) -> Response:
        """The process is up and serving HTTP."""
        return PlainTextResponse("ok")

    async def readyz(_: Request) -> Response:
        """Ready for traffic: the database answers and the corpus is loaded."""
        try:
            checks = dict(await asyncio.wait_for(readiness(), READY_TIMEOUT_SECONDS))
        except Exception as exc:  # a probe answers; it never raises
            _log.warning("readiness check failed: %s", type(exc).__name__)
            checks = {"error": False}
        ok = bool(checks) and all(checks.values()) and application.running
        checks["running"] = application.running
        metrics.ready.set(1 if ok else 0)
        status = HTTPStatus.OK if ok else HTTPStatus.SERVICE_UNAVAILABLE
        return JSONResponse({"ready": ok, "checks": checks}, status_code=status)

    async def prometheus(_: Request) -> Response:
        """This process's metrics in Prometheus text format."""
        body, content_type = metrics.exposition()
        return Response(body, media_type=content_type)

    return Starlette(
        routes=[
            Route(webhook_path, webhook, methods=["POST"]),
            Route(HEALTH_PATH, healthz, methods=["GET"]),
            Route(READY_PATH, readyz, methods=["GET"]),
            Route(METRICS_PATH, prometheus, methods=["GET"]),
        ]
    )


async def _read_update(request: Request, application: AnyApplication) -> Update | None:
    """The request's Update, or None when the body is not one (too large, not JSON, wrong)."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_BODY_BYTES:
        return None
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            return None
    try:
        data = json.loads(body)
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return None
        return Update.de_json(data, application.bot)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
