"""The HTTP paths a replica serves besides the webhook (kept import-light for the probe)."""

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
METRICS_PATH = "/metrics"
RESERVED_PATHS = frozenset({HEALTH_PATH, READY_PATH, METRICS_PATH})
