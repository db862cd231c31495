"""`summit-bot health`: ask a running adapter's /healthz (the Docker HEALTHCHECK runs this).

    ok, text = probe(health_url(settings))   # ok: HTTP 200 (ready, perhaps degraded)

Standard library only, so the check needs nothing beyond the app and costs ~40 ms.
"""

from __future__ import annotations

import urllib.error
import urllib.request

from operations.settings import Settings

HEALTH_PATH = "/healthz"  # served by operations/health.py
_ANY = ("0.0.0.0", "::", "")


def health_url(settings: Settings) -> str:
    """Where this process's own /healthz is: HEALTH_HOST (loopback when it is "any") and port."""
    host = "127.0.0.1" if settings.health_host in _ANY else settings.health_host
    host = f"[{host}]" if ":" in host else host
    return f"http://{host}:{settings.health_port}{HEALTH_PATH}"


def probe(url: str, *, timeout: float = 4.0) -> tuple[bool, str]:
    """(ready, what /healthz said, or why it could not be asked)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:  # 503: not ready, with the JSON saying why
        return False, exc.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError) as exc:
        return False, f"{url}: {getattr(exc, 'reason', exc)}"
