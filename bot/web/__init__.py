"""Webhook mode: the HTTP app (webhook, /healthz, /readyz, /metrics) and its server lifecycle."""
