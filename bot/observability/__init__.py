"""Operating the bot: Prometheus metrics and structured, secret-free logs."""
