"""The daily tick: one repeating job that asks the database what is due (no per-chat jobs)."""

from __future__ import annotations

from bot.context import BotApp, Context

JOB_NAME = "daily-tick"


async def tick(context: Context) -> None:
    """Start draining due deliveries unless a drain is already running (returns at once)."""
    daily = context.services.daily
    if daily is not None:
        daily.runner.kick(context.bot)


def register(app: BotApp) -> None:
    """Schedule the tick every DAILY_TICK_SECONDS, first right after start (catches up)."""
    queue = app.job_queue
    if queue is None:  # python-telegram-bot installed without the [job-queue] extra
        raise RuntimeError("the daily tick needs python-telegram-bot[job-queue]")
    interval = app.bot_data.services.settings.daily.tick_seconds
    queue.run_repeating(
        tick,
        interval=interval,
        first=0.5,
        name=JOB_NAME,
        # The tick only starts a task, so overlapping or late runs are harmless; never skip one.
        job_kwargs={"coalesce": True, "misfire_grace_time": None, "max_instances": 1},
    )
