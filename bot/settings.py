"""Typed settings from the environment and an optional .env file; built by get_settings()."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, TypeVar

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS_DIR = ROOT / "corpus"
DEFAULT_DATABASE_URL = f"sqlite+aiosqlite:///{ROOT / 'data' / 'insightbot.db'}"


def _config(prefix: str) -> SettingsConfigDict:
    # Every group reads the same sources; the prefix makes its fields the documented names,
    # e.g. TelegramSettings.bot_token <- TELEGRAM_BOT_TOKEN.
    return SettingsConfigDict(
        env_prefix=prefix, env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )


class TelegramSettings(BaseSettings):
    """TELEGRAM_*: how to reach the Bot API."""

    model_config = _config("TELEGRAM_")

    bot_token: SecretStr | None = None
    api_base_url: str | None = None  # e.g. http://127.0.0.1:9000/bot (a local Bot API server)

    @field_validator("api_base_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")


class DatabaseSettings(BaseSettings):
    """DATABASE_*: where subscriptions and the delivery ledger live."""

    model_config = _config("DATABASE_")

    url: str = DEFAULT_DATABASE_URL

    @field_validator("url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        # Accept the URLs people paste (sqlite:///, postgresql://) and pick the async drivers.
        if value.startswith("sqlite:"):
            return "sqlite+aiosqlite:" + value.removeprefix("sqlite:")
        if value.startswith(("postgresql://", "postgres://")):
            return "postgresql+psycopg://" + value.split("://", 1)[1]
        if not value.startswith(("sqlite+aiosqlite:", "postgresql+psycopg:")):
            raise ValueError("use sqlite:///path or postgresql://user@host:port/dbname")
        return value


class DailySettings(BaseSettings):
    """DAILY_*: the daily-insight scheduler and the send budget."""

    model_config = _config("DAILY_")

    tick_seconds: float = Field(30.0, gt=0, le=3600)
    default_time: str = Field("09:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    default_timezone: str = "UTC"
    send_rate_per_second: float = Field(25.0, gt=0)  # global, shared by all replicas
    group_rate_per_minute: int = Field(20, gt=0)
    lease_seconds: int = Field(120, gt=0)


class WebhookSettings(BaseSettings):
    """WEBHOOK_*: serving updates over HTTPS instead of long polling."""

    model_config = _config("WEBHOOK_")

    url: str | None = None  # the public https address Telegram posts to
    secret_token: SecretStr | None = None
    # All interfaces: in a container the reverse proxy reaches the bot from outside.
    listen: str = Field("0.0.0.0:8080", pattern=r"^[^:]+:\d{1,5}$")


class SearchSettings(BaseSettings):
    """SEARCH_*: limits that keep one query cheap."""

    model_config = _config("SEARCH_")

    max_query_chars: int = Field(256, gt=0, le=4096)
    page_size: int = Field(5, gt=0, le=10)


class LogFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


class Settings(BaseSettings):
    """All settings; unprefixed ones (ADMIN_USER_IDS, CORPUS_DIR, LOG_*) live here."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    daily: DailySettings = Field(default_factory=DailySettings)
    webhook: WebhookSettings = Field(default_factory=WebhookSettings)
    search: SearchSettings = Field(default_factory=SearchSettings)

    corpus_dir: Path = DEFAULT_CORPUS_DIR
    admin_user_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    log_level: str = Field("INFO", pattern=r"^(DEBUG|INFO|WARNING|ERROR|CRITICAL)$")
    log_format: LogFormat = LogFormat.TEXT

    @field_validator("admin_user_ids", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        # ADMIN_USER_IDS=123,456 (commas or spaces), the way operators write it.
        if isinstance(value, str):
            return frozenset(int(part) for part in value.replace(",", " ").split())
        return value


_G = TypeVar("_G", bound=BaseSettings)


class SettingsError(Exception):
    """A setting has a wrong value; the message names the environment variable."""


def _describe(exc: ValidationError, prefix: str = "") -> str:
    lines = []
    for err in exc.errors():
        name = prefix + "_".join(str(p) for p in err["loc"]).upper()
        # Never echo what was given for a secret.
        shown = "" if "TOKEN" in name or "SECRET" in name else f" (got {err.get('input')!r})"
        lines.append(f"{name}: {err['msg']}{shown}")
    return "; ".join(lines)


def _load(cls: type[_G]) -> _G:
    try:
        return cls()
    except ValidationError as exc:
        raise SettingsError(_describe(exc, str(cls.model_config.get("env_prefix", "")))) from None


def get_settings() -> Settings:
    """Read and validate the settings now; raises SettingsError naming the bad variable."""
    # Groups are built one by one so an error names the full variable (DAILY_TICK_SECONDS),
    # not a nested path (daily.tick_seconds).
    telegram = _load(TelegramSettings)
    database = _load(DatabaseSettings)
    daily = _load(DailySettings)
    webhook = _load(WebhookSettings)
    search = _load(SearchSettings)
    try:
        return Settings(
            telegram=telegram, database=database, daily=daily, webhook=webhook, search=search
        )
    except ValidationError as exc:
        raise SettingsError(_describe(exc)) from None
