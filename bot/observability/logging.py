"""Process-wide logging: text or one JSON line per event, secrets redacted from every record."""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from bot.settings import Settings

REDACTED = "[REDACTED]"

# The shape of any Telegram bot token ("123456:AA..."), so a token that is not the configured one
# (a second bot, an old token in a traceback) is hidden too.
_TOKEN_SHAPE = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")

# Attributes every LogRecord has; anything else on a record came from `extra=` and is a field.
_STANDARD_ATTRS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "color_message",  # uvicorn's coloured duplicate of msg
    "taskName",
}

# Loggers that log every request or job run at INFO: useful when debugging, noise otherwise.
_CHATTY = ("httpx", "httpcore", "apscheduler", "uvicorn.access")


class RedactSecrets(logging.Filter):
    """Replace the configured secrets, and anything shaped like a bot token, in a record's text."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        super().__init__()
        # Longest first, so a secret that contains another is replaced whole.
        self._secrets = sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        """The text with every secret replaced by [REDACTED]."""
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return _TOKEN_SHAPE.sub(REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the record in place (message, arguments, traceback, extra fields); keep it."""
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not hide the record (or leak its args)
            message = str(record.msg)
        record.msg = self.redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            # Format the traceback now, so the text every formatter reuses is the redacted one.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        for key, value in list(vars(record).items()):
            if key not in _STANDARD_ATTRS and isinstance(value, str):
                setattr(record, key, self.redact(value))
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, event, any `extra=` fields, exc."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as a single line of JSON."""
        payload: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and key not in payload:
                payload[key] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            payload["exc"] = record.exc_text
        return json.dumps(payload, ensure_ascii=False, default=str)


def secrets_of(settings: Settings) -> list[str]:
    """Every secret the settings hold: bot token, webhook secret, database password."""
    found: list[str] = []
    if settings.telegram.bot_token is not None:
        found.append(settings.telegram.bot_token.get_secret_value())
    if settings.webhook.secret_token is not None:
        found.append(settings.webhook.secret_token.get_secret_value())
    try:
        password = urlsplit(settings.database.url).password
    except ValueError:
        password = None
    if password:
        found.append(password)
    return found


def install_redaction(redactor: RedactSecrets) -> None:
    """Redact every record when it is created, whichever logger or handler it goes to."""
    # A record factory catches records from every library and reaches handlers added later (by
    # uvicorn, or pytest's caplog), which a filter on our own handler alone would miss.
    previous = logging.getLogRecordFactory()
    base = getattr(previous, "__wrapped_factory__", previous)

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = base(*args, **kwargs)
        redactor.filter(record)
        return record

    factory.__wrapped_factory__ = base  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


def configure_logging(
    settings: Settings, *, stream: TextIO | None = None, json_lines: bool | None = None
) -> RedactSecrets:
    """Set up the root logger from LOG_LEVEL and LOG_FORMAT; returns the redactor in use."""
    redactor = RedactSecrets(secrets_of(settings))
    install_redaction(redactor)
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    handler.addFilter(redactor)
    as_json = settings.log_format == "json" if json_lines is None else json_lines
    handler.setFormatter(
        JsonFormatter()
        if as_json
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    logging.captureWarnings(True)  # Python warnings become records too (JSON, redacted)
    chatty_level = logging.DEBUG if settings.log_level == "DEBUG" else logging.WARNING
    for name in _CHATTY:
        logging.getLogger(name).setLevel(chatty_level)
    return redactor
