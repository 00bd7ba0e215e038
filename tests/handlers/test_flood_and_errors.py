"""Flood control and the global error handler."""

from __future__ import annotations

from bot.handlers import errors
from bot.services.catalog import Snapshot
from tests.handlers.conftest import ADMIN, TOKEN, Harness, make_harness
from tests.handlers.telegram_fake import Person


async def test_a_flood_gets_one_slow_down_then_silence(bot: Harness, alice: Person) -> None:
    texts = []
    for i in range(20):
        calls = await bot.say(f"/quote reasoning {i}", alice)
        texts += [c.text for c in calls if c.method == "sendMessage"]
    slow = [t for t in texts if "slow down" in t]
    assert len(slow) == 1
    assert len(texts) == bot.services.flood.user.count + 1
    other = Person(1003, "Bo", "en")
    assert (await bot.reply("/quote reasoning", other)).text.startswith("🔎")


class Exploding:
    """An index that fails the way a bug would, with the token in its message."""

    def __getattr__(self, name: str) -> object:
        raise RuntimeError(f"index broke while holding {TOKEN}")


async def test_errors_are_logged_reported_without_secrets_and_apologised(
    snapshot: Snapshot, alice: Person
) -> None:
    errors._last_report.clear()  # the report throttle is per process
    harness = await make_harness(snapshot)
    harness.services.catalog.swap(Snapshot(snapshot.corpus, Exploding(), snapshot.sources))  # type: ignore[arg-type]
    try:
        calls = await harness.say("/quote reasoning", alice)
    finally:
        await harness.app.shutdown()
    sent = {int(c.params["chat_id"]): c.text for c in calls if c.method == "sendMessage"}
    assert "went wrong" in sent[alice.id]
    report = sent[ADMIN.id]
    assert "RuntimeError" in report and "[REDACTED]" in report
    assert TOKEN not in report and TOKEN.split(":")[1] not in report
