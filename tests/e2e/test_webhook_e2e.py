"""`insightbot run --webhook` as a real process: the test posts updates to its webhook as Telegram
would, replies arrive at the shared fake Bot API (which checks them against Telegram's rules);
the secret is enforced; probes and metrics answer; SIGTERM finishes the update in flight; two
replicas on one PostgreSQL database deliver each daily insight exactly once."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.requests import Request
from starlette.responses import JSONResponse

from tests.e2e.conftest import TOKEN, bot_env, insightbot_command
from tests.e2e.fake_api.server import FakeBotApi, Sent
from tests.e2e.replicas import run_replicas
from tests.e2e.webhook_fake_api import free_port
from tests.handlers.telegram_fake import Person, Updates

pytestmark = pytest.mark.e2e

SECRET = "e2e-secret_token-0123456789"
START_TIMEOUT = 90.0
ADA, BO = Person(8101, "Ada", "en"), Person(8102, "博", "zh-hans")


@dataclass
class WebhookApi(FakeBotApi):
    """The shared fake Bot API, plus setWebhook and an optional slow sendMessage."""

    send_delay: float = 0.0
    send_started: asyncio.Event = field(default_factory=asyncio.Event)

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method in ("setWebhook", "getWebhookInfo"):
            return True if method == "setWebhook" else {"url": "", "pending_update_count": 0}
        return super()._result(method, params)

    def received(self, update: dict[str, Any]) -> None:
        """Telegram accepted this message (it posts it to the webhook instead of queueing it):
        the bot may now write in its chat and reply to it, as push() records for polling."""
        message = update["message"]
        self._chats.add(message["chat"]["id"])
        self._messages.setdefault((message["chat"]["id"], message["message_id"]), message)

    async def endpoint(self, request: Request) -> JSONResponse:
        if self.send_delay and request.path_params["method"] == "sendMessage":
            self.send_started.set()
            await asyncio.sleep(self.send_delay)
        return await super().endpoint(request)


@dataclass
class Replica:
    """A running `insightbot run --webhook` and how to talk to it as Telegram does."""

    process: subprocess.Popen[bytes]
    base: str
    log: Path
    client: httpx.AsyncClient
    api: WebhookApi
    updates: Updates = field(default_factory=Updates)

    @property
    def webhook(self) -> str:
        return f"{self.base}/telegram"

    def update(self, person: Person, text: str) -> dict[str, Any]:
        message = self.updates.message_dict(text, person)
        message["message_id"] = self.api.next_message_id()
        return {"update_id": message["message_id"], "message": message}

    async def post(self, update: dict[str, Any], secret: str | None = SECRET) -> httpx.Response:
        """POST the update as Telegram does (only Telegram knows the secret)."""
        if secret == SECRET:
            self.api.received(update)
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        return await self.client.post(self.webhook, json=update, headers=headers)

    async def get(self, path: str) -> httpx.Response:
        return await self.client.get(f"{self.base}{path}")

    async def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return await asyncio.to_thread(self.process.wait, 60)

    def logs(self) -> str:
        return self.log.read_text(errors="replace")


async def serve(api: FakeBotApi) -> AsyncIterator[FakeBotApi]:
    server = await api.serve()
    try:
        yield api
    finally:
        server.should_exit = True
        await asyncio.sleep(0.2)


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async for fake in serve(WebhookApi(TOKEN)):
        yield fake


@pytest.fixture
async def slow_api() -> AsyncIterator[FakeBotApi]:
    async for fake in serve(WebhookApi(TOKEN, send_delay=1.5)):
        yield fake


async def start_replica(api: FakeBotApi, workdir: Path, log_level: str = "DEBUG") -> Replica:
    port = free_port()
    env = bot_env(api, workdir)
    env.update(
        WEBHOOK_URL=f"http://127.0.0.1:{port}/telegram",
        WEBHOOK_SECRET_TOKEN=SECRET,
        WEBHOOK_LISTEN=f"127.0.0.1:{port}",
        LOG_FORMAT="json",
        # DEBUG by default: the noisiest setting, where secrets must still never appear.
        LOG_LEVEL=log_level,
    )
    log = workdir / "bot.log"
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: ASYNC220 - Popen returns at once; nothing blocks
            [*insightbot_command(), "run", "--webhook"],
            cwd=workdir,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    assert isinstance(api, WebhookApi)
    client = httpx.AsyncClient(timeout=30)
    replica = Replica(process, f"http://127.0.0.1:{port}", log, client, api)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + START_TIMEOUT
    while loop.time() < deadline and process.poll() is None:
        try:
            if (await replica.get("/readyz")).status_code == 200:
                return replica
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.2)
    process.kill()
    raise AssertionError("the webhook replica did not get ready:\n" + replica.logs()[-4000:])


async def running(api: FakeBotApi, workdir: Path, log_level: str) -> AsyncIterator[Replica]:
    replica = await start_replica(api, workdir, log_level)
    try:
        yield replica
    finally:
        code = await replica.stop()
        await replica.client.aclose()
    logs = replica.logs()
    assert code == 0, logs[-4000:]
    assert api.violations == [], api.violations
    for secret in (TOKEN, SECRET):
        assert secret not in logs
    assert "Traceback" not in logs, logs[-4000:]


@pytest.fixture
async def replica(api: FakeBotApi, tmp_path: Path) -> AsyncIterator[Replica]:
    async for bot in running(api, tmp_path, "DEBUG"):
        yield bot


@pytest.fixture
async def info_replica(api: FakeBotApi, tmp_path: Path) -> AsyncIterator[Replica]:
    """At LOG_LEVEL=INFO, as in production (DEBUG also logs Bot API request parameters)."""
    async for bot in running(api, tmp_path, "INFO"):
        yield bot


def replies_to(api: FakeBotApi, chat_id: int) -> list[Sent]:
    return [s for s in api.calls("sendMessage") if s.chat_id == chat_id]


async def test_updates_posted_to_the_webhook_are_answered(
    replica: Replica, api: FakeBotApi
) -> None:
    (registered,) = api.calls("setWebhook")
    assert registered.params["url"] == replica.webhook
    assert registered.params["secret_token"] == SECRET
    assert "chat_member" in registered.params["allowed_updates"]
    assert api.calls("getUpdates") == []  # webhook mode never polls

    response = await replica.post(replica.update(ADA, "/start"))
    # The webhook answers once the handlers ran, so the reply is already at the Bot API.
    assert response.status_code == 200
    (welcome,) = replies_to(api, ADA.id)
    assert "Ada" in welcome.text and "/quote" in welcome.text

    await replica.post(replica.update(BO, "/quote 下半场"))
    (card,) = replies_to(api, BO.id)
    assert card.text.startswith("🔎 下半场")

    # Ten updates from different chats posted at once (Telegram opens up to 40 connections).
    people = [Person(8200 + i, f"U{i}", "en") for i in range(10)]
    answers = await asyncio.gather(*(replica.post(replica.update(p, "/help")) for p in people))
    assert [r.status_code for r in answers] == [200] * 10
    assert all(len(replies_to(api, p.id)) == 1 for p in people)


async def test_a_wrong_secret_or_a_bad_body_is_refused(replica: Replica, api: FakeBotApi) -> None:
    for secret in ("not-the-secret", "", SECRET.upper(), None):
        response = await replica.post(replica.update(ADA, "/start"), secret=secret)
        assert response.status_code == 403
    assert replies_to(api, ADA.id) == []

    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    for body in (b"not json", b"[1, 2]", b'{"message": {}}', b"{" * 2_000_000):
        response = await replica.client.post(replica.webhook, content=body, headers=headers)
        assert response.status_code == 400
    assert (await replica.get("/healthz")).status_code == 200


async def test_probes_and_metrics_answer(info_replica: Replica, api: FakeBotApi) -> None:
    replica = info_replica
    await replica.post(replica.update(ADA, "/help"))
    await replica.post(replica.update(ADA, "/quote scaling"))
    await replica.post(replica.update(ADA, "/quote qwxzvbnm"))  # finds nothing
    await replica.post(replica.update(ADA, "/start"), secret="wrong")

    health = await replica.get("/healthz")
    assert health.status_code == 200 and health.text == "ok"
    ready = await replica.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {
        "ready": True,
        "checks": {"corpus": True, "database": True, "running": True},
    }

    metrics = await replica.get("/metrics")
    assert metrics.status_code == 200
    assert metrics.headers["content-type"].startswith("text/plain")
    samples = parse_metrics(metrics.text)
    assert samples['insightbot_updates_total{kind="command"}'] == 3
    assert samples['insightbot_update_seconds_count{kind="command"}'] == 3
    assert samples['insightbot_webhook_requests_total{result="accepted"}'] == 3
    assert samples['insightbot_webhook_requests_total{result="forbidden"}'] == 1
    assert samples["insightbot_searches_total"] == 2
    assert samples["insightbot_search_misses_total"] == 1
    assert samples["insightbot_ready"] == 1
    for outcome in ("sent", "failed", "deactivated"):
        assert f'insightbot_deliveries_total{{outcome="{outcome}"}}' in samples
    assert "insightbot_send_budget_waits_total" in samples
    assert "qwxzvbnm" not in metrics.text and TOKEN not in metrics.text

    # One JSON line per handled update: its kind and time, never the message text.
    events = [json.loads(line) for line in replica.logs().splitlines() if line.startswith("{")]
    handled = [e for e in events if e["event"] == "update handled"]
    assert [e["kind"] for e in handled] == ["command"] * 3
    assert "qwxzvbnm" not in replica.logs()


async def test_sigterm_finishes_the_update_in_flight(slow_api: FakeBotApi, tmp_path: Path) -> None:
    replica = await start_replica(slow_api, tmp_path)
    try:
        posted = asyncio.create_task(replica.post(replica.update(ADA, "/start")))
        assert isinstance(slow_api, WebhookApi)
        await asyncio.wait_for(slow_api.send_started.wait(), 30)
        replica.process.send_signal(signal.SIGTERM)  # while the reply is still being sent
        response = await posted
        assert response.status_code == 200  # Telegram hears "done" only after the reply
        assert len(replies_to(slow_api, ADA.id)) == 1
        assert await asyncio.to_thread(replica.process.wait, 60) == 0
        with pytest.raises(httpx.TransportError):
            await replica.get("/healthz")
    finally:
        if replica.process.poll() is None:
            replica.process.kill()
        await replica.client.aclose()
    events = [json.loads(line)["event"] for line in replica.logs().splitlines() if "{" in line[:1]]
    assert "stopped" in events  # the whole shutdown ran: HTTP, the Application, the database
    assert TOKEN not in replica.logs()


@pytest.mark.parametrize(
    ("given", "named"),
    [
        ({}, "WEBHOOK_URL"),
        ({"WEBHOOK_URL": "https://bot.example.com/telegram"}, "WEBHOOK_SECRET_TOKEN"),
        ({"WEBHOOK_URL": "bot.example.com/telegram", "WEBHOOK_SECRET_TOKEN": "abc"}, "WEBHOOK_URL"),
        (
            {"WEBHOOK_URL": "https://bot.example.com/metrics", "WEBHOOK_SECRET_TOKEN": "a"},
            "/metrics",
        ),
        ({"WEBHOOK_URL": "https://b.example/t", "WEBHOOK_SECRET_TOKEN": "no spaces!"}, "A-Z a-z"),
    ],
)
def test_webhook_mode_without_its_settings_exits_with_a_clear_message(
    tmp_path: Path, given: dict[str, str], named: str
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_"))}
    env.update(TELEGRAM_BOT_TOKEN=TOKEN, DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}", **given)
    result = subprocess.run(
        [*insightbot_command(), "run", "--webhook"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert named in result.stderr
    assert "Traceback" not in result.stderr
    assert "no spaces!" not in result.stderr  # a secret is never echoed back


def parse_metrics(text: str) -> dict[str, float]:
    samples: dict[str, float] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            samples[name] = float(value)
    return samples


# ---------------------------------------------------------------- replicas on PostgreSQL
# The full-size run (1,000 chats, with the per-second send rate) is bench/replicas_bench.py.


@pytest.mark.postgres
def test_two_replicas_on_one_database_deliver_each_insight_exactly_once(tmp_path: Path) -> None:
    run = run_replicas(chats=60, rate=30, workdir=tmp_path)
    assert run.exit_codes == [0, 0], run.logs
    assert run.missing == 0, f"{run.missing} chats got nothing"
    assert run.duplicates == 0, f"{run.duplicates} chats got a second insight"
    assert run.statuses == {"sent": 60}
    sent = sum(m['insightbot_deliveries_total{outcome="sent"}'] for m in run.metrics)
    assert sent == 60  # the replicas' own counters agree with the fake Telegram
    for log in run.logs:
        assert TOKEN not in log


@pytest.mark.postgres
def test_sigterm_mid_delivery_hands_the_rest_to_the_other_replica(tmp_path: Path) -> None:
    # Slow enough (10/s for 80 chats) that the first replica is stopped with work claimed.
    run = run_replicas(chats=80, rate=10, workdir=tmp_path, stop_first_after=15)
    assert run.exit_codes == [0, 0], run.logs
    assert run.missing == 0 and run.duplicates == 0
    # Nothing stuck as claimed, in flight or unknown: the stopped replica released its claims.
    assert run.statuses == {"sent": 80}
