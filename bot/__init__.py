"""insightbot: a Telegram bot that serves excerpts of interviews with AI research leaders."""

__version__ = "0.1.0"
