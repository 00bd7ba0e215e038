"""Settings come from the environment, validate early, and never print the token."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import SettingsError, get_settings


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # A stray .env in the working directory must not leak into these tests.
    monkeypatch.chdir(tmp_path)
    for name in (
        "TELEGRAM_BOT_TOKEN",
        "TELEGRAM_API_BASE_URL",
        "DATABASE_URL",
        "DAILY_TICK_SECONDS",
        "ADMIN_USER_IDS",
        "WEBHOOK_LISTEN",
    ):
        monkeypatch.delenv(name, raising=False)


def test_defaults_need_no_environment() -> None:
    settings = get_settings()
    assert settings.telegram.bot_token is None
    assert settings.database.url.startswith("sqlite+aiosqlite:///")
    assert settings.database.url.endswith("data/insightbot.db")
    assert settings.daily.tick_seconds == 30


def test_documented_names_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:secret-token")
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:9000/bot/")
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    monkeypatch.setenv("ADMIN_USER_IDS", "1, 2 3")
    settings = get_settings()
    assert settings.telegram.bot_token is not None
    assert settings.telegram.bot_token.get_secret_value() == "123:secret-token"
    assert settings.telegram.api_base_url == "http://127.0.0.1:9000/bot"
    assert settings.database.url == "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    assert settings.admin_user_ids == frozenset({1, 2, 3})


def test_token_never_appears_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:very-secret")
    settings = get_settings()
    assert "very-secret" not in repr(settings)
    assert "very-secret" not in str(settings.model_dump())


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DAILY_TICK_SECONDS", "soon"),
        ("DATABASE_URL", "mysql://root@localhost/x"),
        ("TELEGRAM_API_BASE_URL", "127.0.0.1:9000"),
        ("WEBHOOK_LISTEN", "everywhere"),
        ("ADMIN_USER_IDS", "alice"),
    ],
)
def test_wrong_value_names_the_setting(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=name):
        get_settings()


def test_dotenv_file_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("TELEGRAM_BOT_TOKEN=42:from-dotenv\n")
    settings = get_settings()
    assert settings.telegram.bot_token is not None
    assert settings.telegram.bot_token.get_secret_value() == "42:from-dotenv"
