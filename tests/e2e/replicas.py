"""Several `insightbot run --webhook` replicas on one fresh PostgreSQL database, N chats due.

Shared by tests/e2e/test_webhook_e2e.py (small N) and bench/replicas_bench.py (N = 1,000):
the replicas' daily ticks deliver through the fake Bot API, which timestamps every send.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from bot.db.engine import Database
from bot.db.migrate import upgrade
from bot.db.models import Chat, Delivery, Subscription
from tests.e2e.webhook_fake_api import TOKEN, FakeBotApi, free_port

ROOT = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
SECRET = "replicas-secret-token"
FIRST_CHAT = 900_000_000


@dataclass
class ReplicaRun:
    """What the replicas sent, and what the ledger says."""

    chats: int
    rate: float
    sends: list[tuple[int, float]]  # (chat_id, arrival time) at the fake Bot API
    by_worker: dict[str, int]
    ledger_sent: int
    statuses: dict[str, int]  # ledger rows by status
    exit_codes: list[int]
    seconds: float
    logs: list[str] = field(default_factory=list)
    metrics: list[dict[str, float]] = field(default_factory=list)  # each replica's /metrics

    @property
    def per_chat(self) -> Counter[int]:
        return Counter(chat for chat, _ in self.sends)

    @property
    def duplicates(self) -> int:
        return sum(n - 1 for n in self.per_chat.values() if n > 1)

    @property
    def missing(self) -> int:
        return self.chats - len(self.per_chat)

    def per_second(self) -> Counter[int]:
        """Sends in each calendar second."""
        return Counter(int(at) for _, at in self.sends)

    def max_in_any_window(self, width: float = 1.0) -> int:
        """The most sends within any `width`-second window (a stricter view than buckets)."""
        times = sorted(at for _, at in self.sends)
        best, lo = 0, 0
        for hi, at in enumerate(times):
            while at - times[lo] >= width:
                lo += 1
            best = max(best, hi - lo + 1)
        return best


def _admin_url(database: str) -> str:
    return (
        make_url(PG_URL)
        .set(drivername="postgresql+psycopg", database=database)
        .render_as_string(hide_password=False)
    )


async def _recreate(name: str, drop_only: bool = False) -> None:
    admin = Database(_admin_url("postgres"))
    try:
        async with admin.engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            if not drop_only:
                await conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await admin.dispose()


async def _seed(url: str, chats: int) -> None:
    """Migrate, then N private chats with one subscription each, due a minute ago."""
    db = Database(url)
    try:
        await upgrade(db)
        now = datetime.now(UTC)
        minute = max(0, now.hour * 60 + now.minute - 1)
        async with db.sessions.begin() as session:
            for i in range(chats):
                session.add(Chat(id=FIRST_CHAT + i, type="private", language="en"))
            await session.flush()
            for i in range(chats):
                session.add(
                    Subscription(
                        chat_id=FIRST_CHAT + i,
                        topic="",
                        minute=minute,
                        timezone="UTC",
                        weekdays=0b1111111,
                        langs="both",
                        active=True,
                        next_due_at=now - timedelta(seconds=30),
                        next_local_date=now.date(),
                    )
                )
    finally:
        await db.dispose()


async def _ledger(url: str) -> tuple[dict[str, int], dict[str, int]]:
    """Ledger rows by status, and by the worker (replica) that settled them."""
    db = Database(url)
    try:
        async with db.sessions() as session:
            statuses = await session.execute(
                select(Delivery.status, func.count()).group_by(Delivery.status)
            )
            workers = await session.execute(
                select(Delivery.worker, func.count()).group_by(Delivery.worker)
            )
            return (
                {str(s): int(n) for s, n in statuses.all()},
                {str(w): int(n) for w, n in workers.all()},
            )
    finally:
        await db.dispose()


def _start(
    api: FakeBotApi, url: str, rate: float, workdir: Path
) -> tuple[subprocess.Popen[bytes], str, Path]:
    port = free_port()
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": f"{api.base}/bot",
        "WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram",
        "WEBHOOK_SECRET_TOKEN": SECRET,
        "WEBHOOK_LISTEN": f"127.0.0.1:{port}",
        "DATABASE_URL": url,
        "CORPUS_DIR": str(ROOT / "corpus"),
        "DAILY_TICK_SECONDS": "1",
        "DAILY_SEND_RATE_PER_SECOND": str(rate),
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
    }
    log = workdir / f"replica-{port}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "run", "--webhook"],
            cwd=workdir,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return proc, f"http://127.0.0.1:{port}", log


def run_replicas(
    chats: int,
    rate: float,
    workdir: Path,
    replicas: int = 2,
    timeout: float = 300.0,
    stop_first_after: int | None = None,
) -> ReplicaRun:
    """Seed `chats` due subscriptions, run the replicas until all are delivered, stop them.

    stop_first_after: SIGTERM the first replica once that many insights arrived (mid-drain);
    the others must deliver the rest. Its exit code is the first of `exit_codes`.
    """
    name = f"insightbot_replicas_{uuid.uuid4().hex[:8]}"
    url = _admin_url(name)
    asyncio.run(_recreate(name))
    api = FakeBotApi()
    procs: list[tuple[subprocess.Popen[bytes], str, Path]] = []
    try:
        asyncio.run(_seed(url, chats))
        api.start()
        started = time.monotonic()
        procs = [_start(api, url, rate, workdir) for _ in range(replicas)]
        deadline = started + timeout
        survivors = procs
        while time.monotonic() < deadline:
            arrived = len(_daily_sends(api))
            if stop_first_after is not None and survivors is procs and arrived >= stop_first_after:
                procs[0][0].send_signal(signal.SIGTERM)
                survivors = procs[1:]
            if any(p.poll() is not None for p, _, _ in survivors) or arrived >= chats:
                break
            time.sleep(0.1)
        seconds = time.monotonic() - started
        # A few more ticks on every replica: a duplicate would show up now.
        time.sleep(3.0)
        metrics = [metrics_of(base) for proc, base, _ in procs if proc.poll() is None]
        codes = []
        for proc, _, _ in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc, _, _ in procs:
            try:
                codes.append(proc.wait(timeout=60))
            except subprocess.TimeoutExpired:
                proc.kill()
                codes.append(-9)
        statuses, by_worker = asyncio.run(_ledger(url))
        return ReplicaRun(
            chats=chats,
            rate=rate,
            sends=_daily_sends(api),
            by_worker=by_worker,
            ledger_sent=statuses.get("sent", 0),
            statuses=statuses,
            exit_codes=codes,
            seconds=seconds,
            logs=[log.read_text(errors="replace") for _, _, log in procs],
            metrics=metrics,
        )
    finally:
        for proc, _, _ in procs:
            if proc.poll() is None:
                proc.kill()
        api.stop()
        asyncio.run(_recreate(name, drop_only=True))


def _daily_sends(api: FakeBotApi) -> list[tuple[int, float]]:
    return [
        (int(params["chat_id"]), at)
        for params, at in api.sends()
        if int(params["chat_id"]) >= FIRST_CHAT
    ]


def metrics_of(base: str) -> dict[str, float]:
    """A replica's /metrics as {sample name with labels: value}."""
    samples: dict[str, float] = {}
    for line in httpx.get(f"{base}/metrics", timeout=5).text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            samples[name] = float(value)
    return samples
