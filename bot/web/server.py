"""Run a PTB Application behind uvicorn: register the webhook, serve, stop gracefully on SIGTERM."""

from __future__ import annotations

import asyncio
import logging
import re
import signal
from collections.abc import Generator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import uvicorn
from telegram import Update
from telegram.error import TelegramError

from bot.observability.metrics import METRICS, Metrics
from bot.settings import Settings, SettingsError
from bot.web.app import AnyApplication, Readiness, create_web_app
from bot.web.paths import RESERVED_PATHS

# Telegram's rule for secret_token: 1-256 characters of A-Z, a-z, 0-9, _ and -.
_SECRET_SHAPE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
# For updates in flight at SIGTERM; with the daily runner's own 30 s, below the 60 s that the
# compose file and the systemd unit give a replica to stop.
GRACE_SECONDS = 20
_SET_WEBHOOK_ATTEMPTS = 5

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WebhookConfig:
    """Where Telegram posts (url, and its path served here), the secret, and where we listen."""

    url: str
    path: str
    secret_token: str = field(repr=False)  # never in a repr, so never in a log line
    host: str = "0.0.0.0"  # noqa: S104 - behind the reverse proxy
    port: int = 8080


def webhook_config(settings: Settings) -> WebhookConfig:
    """The webhook settings checked for serving; SettingsError names a missing or bad one."""
    url = settings.webhook.url
    if not url:
        raise SettingsError("WEBHOOK_URL: required with --webhook (the public https address)")
    parts = urlsplit(url)
    # Telegram's cloud API insists on https; plain http is for a local Bot API server (and tests).
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise SettingsError(f"WEBHOOK_URL: must be an https:// address (got {url!r})")
    path = parts.path or "/"
    if path in RESERVED_PATHS:
        raise SettingsError(f"WEBHOOK_URL: the path {path} is reserved for probes and metrics")
    secret = settings.webhook.secret_token
    if secret is None or not _SECRET_SHAPE.match(secret.get_secret_value()):
        # Without it anyone who finds the address could post forged updates.
        raise SettingsError(
            "WEBHOOK_SECRET_TOKEN: required with --webhook; 1-256 characters of A-Z a-z 0-9 _ -"
        )
    host, _, port = settings.webhook.listen.rpartition(":")
    if not 0 < int(port) < 65536:
        raise SettingsError(f"WEBHOOK_LISTEN: port out of range (got {port})")
    return WebhookConfig(url, path, secret.get_secret_value(), host, int(port))


class _Server(uvicorn.Server):
    """uvicorn's server, minus re-raising the stop signal once it has shut down.

    uvicorn re-raises SIGTERM after serving, which kills the process before the PTB Application
    is stopped; we stop it ourselves (finish jobs, release claims) and then exit with 0.
    """

    @contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        """Turn SIGINT/SIGTERM into a graceful shutdown of the HTTP server."""
        handled = (signal.SIGINT, signal.SIGTERM)
        previous = {sig: signal.signal(sig, self.handle_exit) for sig in handled}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


async def _register(application: AnyApplication, config: WebhookConfig) -> None:
    """setWebhook, retried: every replica registers the same address, so this is idempotent."""
    for attempt in range(1, _SET_WEBHOOK_ATTEMPTS + 1):
        try:
            await application.bot.set_webhook(
                url=config.url,
                secret_token=config.secret_token,
                allowed_updates=Update.ALL_TYPES,
                drop_pending_updates=False,
            )
            _log.info("webhook registered", extra={"path": config.path})
            return
        except TelegramError as exc:
            if attempt == _SET_WEBHOOK_ATTEMPTS:
                raise
            _log.warning("setWebhook failed (%s); retrying", type(exc).__name__)
            await asyncio.sleep(2**attempt)


async def serve_webhook(
    application: AnyApplication,
    config: WebhookConfig,
    readiness: Readiness,
    *,
    metrics: Metrics = METRICS,
    grace_seconds: int = GRACE_SECONDS,
) -> None:
    """Initialise and start `application`, serve HTTP until SIGTERM/SIGINT, then stop it all.

    The order on stop: stop accepting connections, wait (up to grace_seconds) for updates being
    handled, then stop the Application, which waits for the running daily tick and tasks.
    The webhook is left registered: the other replicas keep receiving updates.
    """
    web = create_web_app(
        application,
        webhook_path=config.path,
        secret_token=config.secret_token,
        readiness=readiness,
        metrics=metrics,
    )
    server = _Server(
        uvicorn.Config(
            web,
            host=config.host,
            port=config.port,
            log_config=None,  # keep our (JSON, redacting) logging setup
            access_log=False,  # probes every few seconds would drown the events that matter
            lifespan="off",
            proxy_headers=True,
            server_header=False,
            timeout_graceful_shutdown=grace_seconds,
        )
    )
    # The same steps, in the same order, as Application.run_polling / run_webhook.
    await application.initialize()
    try:
        if application.post_init is not None:
            await application.post_init(application)
        await _register(application, config)
        await application.start()
        try:
            _log.info("serving webhook", extra={"listen": f"{config.host}:{config.port}"})
            await server.serve()
        finally:
            _log.info("stopping: waiting for the daily tick and pending tasks")
            await application.stop()
            if application.post_stop is not None:
                await application.post_stop(application)
    finally:
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
        _log.info("stopped")
