"""Logs carry no secret (bot token, webhook secret, DB password) and are JSON lines on request."""

from __future__ import annotations

import io
import json
import logging
import warnings
from collections.abc import Iterator

import httpx
import pytest
from pydantic import SecretStr

from bot.observability.logging import REDACTED, configure_logging
from bot.settings import DatabaseSettings, Settings, TelegramSettings, WebhookSettings

TOKEN = "7012345678:AAHk9x_Zq3LrT0pW8yVbN2mC4dE6fG1hJkQ"
OTHER_TOKEN = "5550001112:BBcdefghijklmnopqrstuvwxyz0123456789"
SECRET = "s3cr3t-webhook_token"
DB_PASSWORD = "pg-pass-9731"


def _settings(log_format: str = "json", level: str = "DEBUG") -> Settings:
    return Settings(
        telegram=TelegramSettings(bot_token=SecretStr(TOKEN)),
        webhook=WebhookSettings(secret_token=SecretStr(SECRET)),
        database=DatabaseSettings(url=f"postgresql://bot:{DB_PASSWORD}@db:5432/insightbot"),
        log_format=log_format,
        log_level=level,
    )


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    factory = logging.getLogRecordFactory()
    levels = {n: logging.getLogger(n).level for n in ("httpx", "httpcore", "apscheduler")}
    yield
    logging.captureWarnings(False)
    logging.setLogRecordFactory(factory)
    for h in list(root.handlers):
        root.removeHandler(h)
    for h in handlers:
        root.addHandler(h)
    root.setLevel(level)
    for name, lvl in levels.items():
        logging.getLogger(name).setLevel(lvl)


def _lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


async def test_httpx_request_url_with_the_token_is_redacted() -> None:
    stream = io.StringIO()
    configure_logging(_settings(), stream=stream)

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"ok": True, "result": {}})

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
        await client.post(f"https://api.telegram.org/bot{TOKEN}/getMe")

    text = stream.getvalue()
    assert "api.telegram.org" in text  # the request was logged...
    assert TOKEN not in text  # ...without the token
    assert f"bot{REDACTED}/getMe" in text
    assert all(line["logger"] for line in _lines(stream))


def test_tracebacks_extra_fields_and_other_secrets_are_redacted() -> None:
    stream = io.StringIO()
    configure_logging(_settings(), stream=stream)
    log = logging.getLogger("insightbot.test")
    try:
        raise RuntimeError(f"connect failed for https://api.telegram.org/bot{TOKEN}/sendMessage")
    except RuntimeError:
        log.exception("send failed", extra={"url": f"postgresql://bot:{DB_PASSWORD}@db/x"})
    log.warning("header was %s", SECRET)
    log.warning("some other bot: %s", OTHER_TOKEN)

    text = stream.getvalue()
    for secret in (TOKEN, SECRET, DB_PASSWORD, OTHER_TOKEN):
        assert secret not in text
    first, second, third = _lines(stream)
    assert first["event"] == "send failed"
    assert "RuntimeError" in str(first["exc"]) and REDACTED in str(first["exc"])
    assert first["url"] == f"postgresql://bot:{REDACTED}@db/x"
    assert second["event"] == f"header was {REDACTED}"
    assert third["level"] == "WARNING"


def test_handlers_added_later_also_get_redacted_records(caplog: pytest.LogCaptureFixture) -> None:
    configure_logging(_settings(), stream=io.StringIO())
    logging.getLogger().addHandler(caplog.handler)  # e.g. a handler a library adds after setup
    with caplog.at_level(logging.INFO):
        logging.getLogger("telegram.ext.Application").info("token is %s", TOKEN)
    assert TOKEN not in caplog.text
    assert REDACTED in caplog.text


def test_json_lines_are_one_object_per_event_with_unicode_kept() -> None:
    stream = io.StringIO()
    configure_logging(_settings(), stream=stream)
    logging.getLogger("bot.x").info("update handled", extra={"kind": "command", "ms": 12.5})
    logging.getLogger("bot.x").info("多行\n消息")
    first, second = _lines(stream)
    assert first == {**first, "event": "update handled", "kind": "command", "ms": 12.5}
    assert {"ts", "level", "logger"} <= first.keys()
    assert second["event"] == "多行\n消息"


def test_text_format_and_quiet_http_logs_at_info() -> None:
    stream = io.StringIO()
    configure_logging(_settings(log_format="text", level="INFO"), stream=stream)
    logging.getLogger("httpx").info(f"HTTP Request: POST https://x/bot{TOKEN}/getUpdates")
    logging.getLogger("bot.x").info("started with %s", TOKEN)
    text = stream.getvalue()
    assert "getUpdates" not in text  # per-request chatter is hidden unless LOG_LEVEL=DEBUG
    assert f"INFO bot.x: started with {REDACTED}" in text
    assert not text.lstrip().startswith("{")


def test_python_warnings_become_json_lines_too() -> None:
    stream = io.StringIO()
    configure_logging(_settings(), stream=stream)
    warnings.warn(f"deprecated call with {TOKEN}", DeprecationWarning, stacklevel=1)
    (line,) = _lines(stream)
    assert line["logger"] == "py.warnings" and "DeprecationWarning" in str(line["event"])
    assert TOKEN not in stream.getvalue()
