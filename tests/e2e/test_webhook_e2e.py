"""`insightbot run --webhook` as a real process: Telegram (this test) posts updates to its webhook,
replies arrive at a fake Bot API server; the secret is enforced; probes and metrics answer;
SIGTERM finishes the update in flight."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.e2e.webhook_fake_api import TOKEN, FakeBotApi, free_port, message_update

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SECRET = "e2e-secret_token-0123456789"
START_TIMEOUT = 90.0


@dataclass
class BotProcess:
    """A running `insightbot run --webhook` and where to reach it."""

    proc: subprocess.Popen[bytes]
    base: str
    log: Path

    @property
    def webhook(self) -> str:
        return f"{self.base}/telegram"

    def post(self, update: dict[str, object], secret: str | None = SECRET) -> httpx.Response:
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        return httpx.post(self.webhook, json=update, headers=headers, timeout=30)

    def logs(self) -> str:
        return self.log.read_text(errors="replace")


def start_bot(api: FakeBotApi, tmp: Path, **env_extra: str) -> BotProcess:
    port = free_port()
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": f"{api.base}/bot",
        "WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram",
        "WEBHOOK_SECRET_TOKEN": SECRET,
        "WEBHOOK_LISTEN": f"127.0.0.1:{port}",
        "DATABASE_URL": f"sqlite:///{tmp / 'bot.db'}",
        "CORPUS_DIR": str(ROOT / "corpus"),
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "DEBUG",  # the noisiest setting: the token must still never appear
        **env_extra,
    }
    log = tmp / f"bot-{port}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "run", "--webhook"],
            cwd=tmp,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    bot = BotProcess(proc, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"bot exited with {proc.returncode}:\n{bot.logs()[-3000:]}")
        try:
            if httpx.get(f"{bot.base}/readyz", timeout=2).status_code == 200:
                return bot
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    proc.kill()
    pytest.fail(f"bot not ready after {START_TIMEOUT}s:\n{bot.logs()[-3000:]}")


def stop_bot(bot: BotProcess) -> int:
    if bot.proc.poll() is None:
        bot.proc.send_signal(signal.SIGTERM)
    try:
        return bot.proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        bot.proc.kill()
        raise


@pytest.fixture(scope="module")
def api() -> Iterator[FakeBotApi]:
    fake = FakeBotApi()
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def bot(api: FakeBotApi, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotProcess]:
    running = start_bot(api, tmp_path_factory.mktemp("webhook"))
    yield running
    assert stop_bot(running) == 0, running.logs()[-3000:]
    assert TOKEN not in running.logs()
    assert SECRET not in running.logs()


def test_start_registers_the_webhook_with_the_secret(bot: BotProcess, api: FakeBotApi) -> None:
    calls = api.calls_to("setWebhook")
    assert calls, "setWebhook was not called"
    assert calls[-1]["url"] == bot.webhook
    assert calls[-1]["secret_token"] == SECRET
    assert "chat_member" in json.loads(calls[-1]["allowed_updates"])


def test_an_update_posted_to_the_webhook_gets_a_reply(bot: BotProcess, api: FakeBotApi) -> None:
    response = bot.post(message_update(chat_id=1001, text="/start"))
    assert response.status_code == 200
    # The webhook answers after the handlers ran, so the reply is already at the Bot API.
    replies = api.messages_to(1001)
    assert len(replies) == 1 and replies[0]["text"].strip()

    response = bot.post(message_update(chat_id=1002, text="scaling laws"))
    assert response.status_code == 200
    (reply,) = api.messages_to(1002)
    assert reply["text"].strip()


def test_a_wrong_or_missing_secret_is_refused(bot: BotProcess, api: FakeBotApi) -> None:
    for secret in ("not-the-secret", "", None):
        response = bot.post(message_update(chat_id=2001, text="/start"), secret=secret)
        assert response.status_code == 403
    assert api.messages_to(2001) == []


def test_a_body_that_is_not_an_update_is_a_clear_400(bot: BotProcess, api: FakeBotApi) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    for body in (b"not json", b"[1, 2]", b'{"message": {}}'):
        response = httpx.post(bot.webhook, content=body, headers=headers, timeout=10)
        assert response.status_code == 400
    assert httpx.get(f"{bot.base}/healthz", timeout=5).status_code == 200


def test_probes_and_metrics_answer(bot: BotProcess, api: FakeBotApi) -> None:
    bot.post(message_update(chat_id=3001, text="/help"))
    bot.post(message_update(chat_id=3001, text="/start"), secret="wrong")

    health = httpx.get(f"{bot.base}/healthz", timeout=5)
    assert health.status_code == 200 and health.text == "ok"
    ready = httpx.get(f"{bot.base}/readyz", timeout=5)
    assert ready.status_code == 200
    assert ready.json()["ready"] is True
    assert ready.json()["checks"]["corpus"] is True

    metrics = httpx.get(f"{bot.base}/metrics", timeout=5)
    assert metrics.status_code == 200
    assert metrics.headers["content-type"].startswith("text/plain")
    samples = parse_metrics(metrics.text)
    assert samples['insightbot_updates_total{kind="command"}'] >= 2
    assert samples['insightbot_webhook_requests_total{result="forbidden"}'] >= 1
    assert samples['insightbot_webhook_requests_total{result="accepted"}'] >= 2
    assert samples['insightbot_update_seconds_count{kind="command"}'] >= 2
    assert samples["insightbot_ready"] == 1
    assert 'insightbot_deliveries_total{outcome="sent"}' in samples
    assert TOKEN not in metrics.text


def test_sigterm_finishes_the_update_in_flight_and_exits_cleanly(tmp_path: Path) -> None:
    slow = FakeBotApi(send_delay=1.5)
    slow.start()
    try:
        bot = start_bot(slow, tmp_path)
        result: dict[str, httpx.Response] = {}
        poster = threading.Thread(
            target=lambda: result.update(r=bot.post(message_update(chat_id=4001, text="/start")))
        )
        poster.start()
        assert slow.send_started.wait(30), "the reply never started"
        bot.proc.send_signal(signal.SIGTERM)  # while sendMessage is still in flight
        poster.join(60)
        assert result["r"].status_code == 200
        assert len(slow.messages_to(4001)) == 1
        assert bot.proc.wait(timeout=60) == 0
        with pytest.raises(httpx.TransportError):
            httpx.get(f"{bot.base}/healthz", timeout=2)
        logs = bot.logs()
        assert TOKEN not in logs
        events = [json.loads(line)["event"] for line in logs.splitlines() if line.startswith("{")]
        assert "stopped" in events
    finally:
        slow.stop()


def parse_metrics(text: str) -> dict[str, float]:
    samples: dict[str, float] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            samples[name] = float(value)
    return samples
