"""Excerpts, matches and insights as Telegram HTML within Telegram's limits (pure)."""
