"""A fake Telegram Bot API: the rules Telegram applies to requests, and an HTTP server for e2e."""
