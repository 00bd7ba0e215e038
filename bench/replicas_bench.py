#!/usr/bin/env python3
"""Two webhook replicas, one PostgreSQL database, 1,000 subscriptions due at once.

Prints whether every chat got exactly one insight, the per-second send maximum against the
shared budget (DAILY_SEND_RATE_PER_SECOND, per bot), and how the work split between replicas.

    .venv/bin/python bench/replicas_bench.py [--chats 1000] [--rate 25] [--replicas 2]

Needs the PostgreSQL server of TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/test);
it creates and drops a scratch database there.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the replica harness lives in tests/e2e

from tests.e2e.replicas import run_replicas  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=25.0, help="DAILY_SEND_RATE_PER_SECOND")
    parser.add_argument("--replicas", type=int, default=2)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        run = run_replicas(args.chats, args.rate, Path(tmp), replicas=args.replicas)

    per_second = run.per_second()
    seconds = sorted(per_second)
    full = [per_second[s] for s in seconds[1:-1]]  # first and last seconds are partial
    span = (max(at for _, at in run.sends) - min(at for _, at in run.sends)) if run.sends else 0
    print(f"replicas: {args.replicas}   chats due: {run.chats}   budget: {run.rate:g}/s (shared)")
    print(f"sendMessage calls: {len(run.sends)}   chats reached: {len(run.per_chat)}")
    print(f"duplicates: {run.duplicates}   missing: {run.missing}   ledger sent: {run.ledger_sent}")
    print(f"max sends in one calendar second: {max(per_second.values(), default=0)}")
    print(f"max sends in any 1-second window: {run.max_in_any_window()}")
    if full:
        print(f"mean over full seconds: {sum(full) / len(full):.1f}/s")
    print(f"first to last send: {span:.1f} s   effective: {len(run.sends) / max(span, 1e-9):.1f}/s")
    print(f"all delivered after: {run.seconds:.1f} s from start of the replicas")
    for worker, count in sorted(run.by_worker.items()):
        print(f"  ledger rows settled by {worker}: {count}")
    for i, samples in enumerate(run.metrics):
        sent = samples.get('insightbot_deliveries_total{outcome="sent"}', 0)
        waits = samples.get("insightbot_send_budget_waits_total", 0)
        waited = samples.get("insightbot_send_budget_wait_seconds_total", 0)
        print(f"  replica {i + 1} /metrics: sent {sent:.0f}, waits {waits:.0f} ({waited:.1f} s)")
    print(f"exit codes after SIGTERM: {run.exit_codes}")
    ok = (
        run.duplicates == 0
        and run.missing == 0
        and run.ledger_sent == run.chats
        and max(per_second.values(), default=0) <= run.rate
        and all(code == 0 for code in run.exit_codes)
    )
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
