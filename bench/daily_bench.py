#!/usr/bin/env python3
"""Daily broadcast benchmark: N chats due at the same minute, delivered to a local fake Bot API.

Each bot process runs the real delivery path (bot.services.deliveries: ledger, claims, the
shared send budget, python-telegram-bot over HTTP); the fake server counts what arrives.

    .venv/bin/python bench/daily_bench.py --chats 1000                  # paced at 25 msg/s
    .venv/bin/python bench/daily_bench.py --chats 10000                 # the full figure
    .venv/bin/python bench/daily_bench.py --chats 5000 --rate 0         # budget lifted
    .venv/bin/python bench/daily_bench.py --chats 1000 --kills 6        # SIGKILL at random points
    .venv/bin/python bench/daily_bench.py --chats 1000 --kills 6 --signal term
    .venv/bin/python bench/daily_bench.py --chats 1000 --kills 6 --processes 2 --postgres

--postgres uses TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/test) and
creates and drops a scratch database there; otherwise a temporary SQLite file is used.
Prints the counts; exits non-zero when a chat got no post or more than one.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import signal
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qsl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TOKEN = "700700:BenchTokenBenchTokenBenchTokenBench00"  # noqa: S105 - the fake server's
ME = {"id": 700700, "is_bot": True, "first_name": "Bench", "username": "BenchBot"}
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"


# --- the fake Bot API ---------------------------------------------------------------------


class FakeApi:
    """A minimal HTTP/1.1 Bot API: getMe and sendMessage; counts messages per chat."""

    def __init__(self) -> None:
        self.per_chat: Counter[int] = Counter()
        self.times: list[float] = []
        self.port = 0
        self._ids = 0

    async def start(self) -> asyncio.Server:
        server = await asyncio.start_server(self._client, "127.0.0.1", 0, backlog=512)
        self.port = server.sockets[0].getsockname()[1]
        return server

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1]
                headers = {
                    k.strip().lower(): v.strip()
                    for k, _, v in (ln.partition(":") for ln in lines[1:] if ln)
                }
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                payload = self._answer(path.rsplit("/", 1)[-1], headers, body)
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    + f"Content-Length: {len(payload)}\r\n\r\n".encode()
                    + payload
                )
                await writer.drain()
        writer.close()

    def _answer(self, method: str, headers: dict[str, str], body: bytes) -> bytes:
        if "json" in headers.get("content-type", ""):
            params = json.loads(body or b"{}")
        else:
            params = dict(parse_qsl(body.decode()))
        result: object = True
        if method == "getMe":
            result = ME
        elif method == "sendMessage":
            chat_id = int(params["chat_id"])
            self.per_chat[chat_id] += 1
            self.times.append(time.monotonic())
            self._ids += 1
            result = {
                "message_id": self._ids,
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "text": "x",
            }
        return json.dumps({"ok": True, "result": result}).encode()


# --- a bot process ------------------------------------------------------------------------


async def worker_main(url: str, api: str, rate: float, tick: float, lease: float) -> int:
    """One bot process: tick -> drain until SIGTERM; then settle in-flight sends and exit."""
    from telegram import Bot

    from bot.corpus.loader import load_corpus
    from bot.db.engine import Database
    from bot.insights import load_questions
    from bot.services.budget import SendBudget
    from bot.services.daily import InsightService
    from bot.services.deliveries import DeliveryRunner

    corpus = load_corpus(ROOT / "corpus")
    bank = load_questions(ROOT / "corpus" / "questions.toml")[0]
    db = Database(url)
    insights = InsightService(db, lambda: corpus, bank)
    budget = SendBudget(db, rate if rate > 0 else 1e9)
    runner = DeliveryRunner(db, insights, budget, lease_seconds=lease, concurrency=8)
    bot = Bot(TOKEN, base_url=f"{api}/bot")
    await bot.initialize()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    while not stop.is_set():
        runner.kick(bot)  # what the JobQueue tick does
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), tick)
    await runner.stop()
    await bot.shutdown()
    await db.dispose()
    return 0


# --- the driver ---------------------------------------------------------------------------


async def seed(url: str, chats: int) -> None:
    """Migrate, then N private chats subscribed at the current UTC minute (all due now)."""
    from sqlalchemy import insert

    from bot.db.engine import Database
    from bot.db.migrate import upgrade
    from bot.db.models import Chat, Subscription

    db = Database(url)
    await upgrade(db)
    now = datetime.now(UTC)
    due = now.replace(second=0, microsecond=0)
    chat_rows = [{"id": 10_000_000 + i, "type": "private", "is_member": True} for i in range(chats)]
    sub_rows = [
        {
            "chat_id": 10_000_000 + i,
            "topic": "",
            "minute": due.hour * 60 + due.minute,
            "timezone": "UTC",
            "weekdays": 0b1111111,
            "langs": "both",
            "active": True,
            "next_due_at": due,
            "next_local_date": due.date(),
        }
        for i in range(chats)
    ]
    async with db.sessions.begin() as session:
        for start in range(0, chats, 2000):
            await session.execute(insert(Chat), chat_rows[start : start + 2000])
            await session.execute(insert(Subscription), sub_rows[start : start + 2000])
    await db.dispose()


async def ledger_counts(url: str) -> Counter[str]:
    """Ledger rows by status."""
    from bot.db import ledger
    from bot.db.engine import Database

    db = Database(url)
    async with db.sessions() as session:
        counts = Counter(await ledger.counts(session))
    await db.dispose()
    return counts


def spawn(args: argparse.Namespace, url: str, api: FakeApi) -> asyncio.Task[int]:
    """Start a bot process (this script with --worker); the task ends with its exit code."""

    async def run() -> int:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            __file__,
            "--worker",
            "--db",
            url,
            "--api",
            f"http://127.0.0.1:{api.port}",
            "--rate",
            str(args.rate),
            "--lease",
            str(args.lease),
            cwd=ROOT,
        )
        procs.append(proc)
        return await proc.wait()

    return asyncio.ensure_future(run())


procs: list[asyncio.subprocess.Process] = []


async def drive(args: argparse.Namespace, url: str) -> int:
    api = FakeApi()
    server = await api.start()
    await seed(url, args.chats)
    started = time.monotonic()
    tasks = [spawn(args, url, api) for _ in range(args.processes)]
    kills = 0
    rng = random.Random(args.seed)
    next_kill = started + rng.uniform(2, args.kill_every)
    deadline = started + args.chats / (args.rate or 20) * 3 + 120
    checked = 0.0
    while time.monotonic() < deadline:
        await asyncio.sleep(0.2)
        # Look at the ledger only now and then: on SQLite each look takes the write lock.
        if len(api.per_chat) >= args.chats - 8 and time.monotonic() - checked > 2:
            checked = time.monotonic()
            if await _settled(url) >= args.chats:
                break
        if kills < args.kills and time.monotonic() >= next_kill:
            live = [p for p in procs if p.returncode is None]
            if live:
                victim = rng.choice(live)
                victim.send_signal(signal.SIGKILL if args.signal == "kill" else signal.SIGTERM)
                await victim.wait()
                kills += 1
                tasks.append(spawn(args, url, api))  # the restart
            next_kill = time.monotonic() + rng.uniform(1, args.kill_every)
    for proc in procs:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
    codes = await asyncio.gather(*tasks)
    server.close()
    elapsed = (api.times[-1] - api.times[0]) if len(api.times) > 1 else 0.0
    counts = Counter(api.per_chat.values())
    missed = args.chats - len(api.per_chat)
    twice = sum(n for k, n in counts.items() if k > 1)
    ledger = await ledger_counts(url)
    rate = f"{args.rate:g} msg/s" if args.rate > 0 else "lifted"
    print(f"chats due: {args.chats}   budget: {rate}   processes: {args.processes}   db: {args.db}")
    print(f"kills: {kills} (SIG{args.signal.upper()})   worker exit codes: {codes}")
    print(f"sendMessage received: {len(api.times)}   chats reached: {len(api.per_chat)}")
    print(f"delivered once: {counts.get(1, 0)}   twice or more: {twice}   missed: {missed}")
    print(f"ledger: {dict(sorted(ledger.items()))}")
    if elapsed > 0:
        achieved = (len(api.times) - 1) / elapsed
        print(f"first to last send: {elapsed:.1f} s   achieved: {achieved:.1f} msg/s")
        if args.rate > 0 and not args.kills:
            expected = args.chats / args.rate
            print(f"expected N/rate: {expected:.1f} s   deviation: {elapsed / expected - 1:+.1%}")
    return 0 if missed == 0 and twice == 0 else 1


async def _settled(url: str) -> int:
    """Ledger rows in a final state (sent, failed, unknown, skipped)."""
    from bot.db import ledger

    counts = await ledger_counts(url)
    return sum(counts[status] for status in ledger.FINAL)


def _postgres_database() -> tuple[str, str, str]:
    """Create a scratch database; returns (its URL, the admin URL, its name)."""
    import psycopg

    admin = os.environ.get("TEST_POSTGRES_URL", DEFAULT_PG).replace("+psycopg", "")
    name = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin.rsplit("/", 1)[0] + f"/{name}", admin, name


def _drop_postgres(admin: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=25.0, help="msg/s budget; 0 lifts it")
    parser.add_argument("--processes", type=int, default=1, help="bot processes on one DB")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--kills", type=int, default=0, help="kill a random process this often")
    parser.add_argument("--kill-every", type=float, default=8.0, help="max seconds between kills")
    parser.add_argument("--signal", choices=["kill", "term"], default="kill")
    parser.add_argument("--lease", type=float, default=5.0, help="claim lease (DAILY_LEASE)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--db", default="", help=argparse.SUPPRESS)
    parser.add_argument("--api", default="", help=argparse.SUPPRESS)
    parser.add_argument("--tick", type=float, default=1.0, help="DAILY_TICK_SECONDS")
    args = parser.parse_args()
    if args.worker:
        return asyncio.run(worker_main(args.db, args.api, args.rate, args.tick, args.lease))
    if args.postgres:
        url, admin, name = _postgres_database()
        args.db = "postgresql"
        try:
            return asyncio.run(drive(args, url.replace("postgresql://", "postgresql+psycopg://")))
        finally:
            _drop_postgres(admin, name)
    with tempfile.TemporaryDirectory() as tmp:
        args.db = "sqlite"
        return asyncio.run(drive(args, f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"))


if __name__ == "__main__":
    sys.exit(main())
