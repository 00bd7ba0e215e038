"""The terminal entry points as processes: `insightbot run` with no token, `insightbot chat`."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from bot.settings import ROOT
from tests.e2e.conftest import insightbot_command

pytestmark = pytest.mark.e2e


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    env["CORPUS_DIR"] = str(ROOT / "corpus")
    return env


def test_run_without_a_token_explains_how_to_get_one(tmp_path: Path) -> None:
    done = subprocess.run(
        [*insightbot_command(), "run"],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    message = done.stderr.strip()
    assert "\n" not in message  # one paragraph
    for needed in ("@BotFather", "/newbot", "TELEGRAM_BOT_TOKEN", ".env", "config/.env.example"):
        assert needed in message
    assert "Traceback" not in done.stderr


def test_chat_shows_the_same_cards_in_the_terminal(tmp_path: Path) -> None:
    script = "/help\n/quote vibe researching\n1\n/lang zh\n下半场\n/search\n/nope\n/quit\n"
    done = subprocess.run(
        [*insightbot_command(), "chat", "--lang", "en"],
        cwd=tmp_path,
        env=_env(),
        input=script,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "excerpts from 5 interviews" in out
    assert "🔎 vibe researching · 1/" in out and "🔎 vibe researching · 2/" in out
    assert "[1] Next ▶" in out and "#" in out
    assert "🔎 下半场 · 第 1/" in out and "告诉我要搜索什么" in out and "我不认识 /nope" in out
    assert "<b>" not in out and "&lt;" not in out  # HTML rendered as plain text
