"""The replica's HTTP app in-process: the answers a load balancer and Telegram rely on."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

import httpx
import pytest
from prometheus_client import CollectorRegistry
from telegram.ext import Application

from bot.observability.metrics import Metrics
from bot.web import app as web_app
from bot.web.app import create_web_app

SECRET = "s3cret_token-1"
UPDATE = {
    "update_id": 7,
    "message": {
        "message_id": 1,
        "date": 0,
        "chat": {"id": 5, "type": "private"},
        "from": {"id": 5, "is_bot": False, "first_name": "Ada"},
        "text": "/start",
    },
}


def client(readiness: object, metrics: Metrics | None = None) -> httpx.AsyncClient:
    application = Application.builder().token("1:x").updater(None).build()  # never started
    web = create_web_app(
        application,
        webhook_path="/hook",
        secret_token=SECRET,
        readiness=readiness,  # type: ignore[arg-type]
        metrics=metrics or Metrics(CollectorRegistry()),
    )
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=web), base_url="http://replica")


async def all_ready() -> Mapping[str, bool]:
    return {"corpus": True, "database": True}


async def test_a_replica_that_is_not_running_refuses_updates_so_telegram_retries() -> None:
    metrics = Metrics(CollectorRegistry())
    http = client(all_ready, metrics)
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    assert (await http.post("/hook", json=UPDATE, headers=headers)).status_code == 503
    # The secret is checked first: a stranger learns nothing about the replica's state.
    assert (await http.post("/hook", json=UPDATE)).status_code == 403
    assert (await http.get("/hook")).status_code == 405
    assert (await http.get("/healthz")).text == "ok"
    body = (await http.get("/metrics")).text
    assert 'insightbot_webhook_requests_total{result="forbidden"} 1.0' in body
    assert 'insightbot_webhook_requests_total{result="accepted"} 0.0' in body


async def test_readiness_needs_every_check_and_a_running_application() -> None:
    ready = await client(all_ready).get("/readyz")
    # Every check passes but the Application was never started: not ready for traffic.
    assert ready.status_code == 503
    assert ready.json() == {
        "ready": False,
        "checks": {"corpus": True, "database": True, "running": False},
    }


async def db_down() -> Mapping[str, bool]:
    return {"corpus": True, "database": False}


async def broken() -> Mapping[str, bool]:
    raise ConnectionError("database unreachable")


async def hangs() -> Mapping[str, bool]:
    await asyncio.sleep(60)
    return {}


@pytest.mark.parametrize("readiness", [db_down, broken, hangs])
async def test_a_failing_or_hanging_check_is_a_503_not_an_error(
    readiness: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(web_app, "READY_TIMEOUT_SECONDS", 0.1)
    metrics = Metrics(CollectorRegistry())
    answer = await client(readiness, metrics).get("/readyz")
    assert answer.status_code == 503
    assert answer.json()["ready"] is False
    assert metrics.registry.get_sample_value("insightbot_ready") == 0


def test_the_webhook_path_cannot_shadow_a_probe() -> None:
    application = Application.builder().token("1:x").updater(None).build()
    with pytest.raises(ValueError, match="reserved"):
        create_web_app(application, webhook_path="/metrics", secret_token="x", readiness=all_ready)
