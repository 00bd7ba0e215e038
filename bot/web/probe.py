"""`python -m bot.web.probe [/healthz|/readyz]`: exit 0 when this host's bot answers 200.

Used by the container health check; reads WEBHOOK_LISTEN so the probe follows the port setting.
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.request

from bot.settings import WebhookSettings
from bot.web.paths import HEALTH_PATH, READY_PATH

_TIMEOUT_SECONDS = 3.0


def probe(path: str = HEALTH_PATH) -> int:
    """0 when GET http://127.0.0.1:<port><path> answers 200, else 1 (with the reason on stderr)."""
    if path not in (HEALTH_PATH, READY_PATH):
        print(f"probe: unknown path {path!r}; use {HEALTH_PATH} or {READY_PATH}", file=sys.stderr)
        return 2
    port = WebhookSettings().listen.rpartition(":")[2]
    url = f"http://127.0.0.1:{port}{path}"
    try:
        with urllib.request.urlopen(url, timeout=_TIMEOUT_SECONDS) as response:
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as exc:
        print(f"probe: {url}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(probe(*sys.argv[1:2]))
