"""The patient page's timeline figure, drawn once per content and kept in memory.

The key is the SHA-256 of the counted events (canonical JSON) and the LeptoDx version, so a new,
amended or entered-in-error event changes the key and nothing stale is served; the page links the
figure by that key. Drawing (matplotlib, 1–2 s) happens once per content; later views read the
bytes. The cache is per process, bounded in bytes (least recently used out first), and holds no
patient identifier — only figures reachable through the policy-checked patient route.

A figure fetched with the key that an audited page view of the same user handed out moments
before belongs to that page view and is not audited again ("one audit entry per page view").
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from leptodx import __version__
from leptodx.followup.events import Timeline

MAX_BYTES = 64 * 1024 * 1024
ISSUED_SECONDS = 600.0
MAX_ISSUED = 10_000


def content_key(timeline: Timeline) -> str:
    """SHA-256 of the drawn content: every counted event and the software version."""
    payload = {
        "version": __version__,
        "events": [e.model_dump(mode="json", exclude_none=True) for e in timeline.events],
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


class FigureCache:
    """PNG bytes by content key (LRU, at most ``max_bytes``) and the keys handed to page views."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._figures: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._issued: OrderedDict[tuple[int, int, str], float] = OrderedDict()
        self._lock = threading.Lock()
        self._draw_lock = threading.Lock()  # pyplot keeps global state: draw one at a time

    def get(self, key: str, draw: Callable[[], bytes]) -> bytes:
        """The figure of ``key``, drawn by ``draw`` on a miss (once, however many ask at once)."""
        with self._lock:
            found = self._figures.get(key)
            if found is not None:
                self._figures.move_to_end(key)
                return found
        with self._draw_lock:
            with self._lock:
                found = self._figures.get(key)
            if found is None:
                found = draw()
                self._put(key, found)
        return found

    def _put(self, key: str, data: bytes) -> None:
        with self._lock:
            if key in self._figures or len(data) > self.max_bytes:
                return
            self._figures[key] = data
            self._size += len(data)
            while self._size > self.max_bytes:
                _, old = self._figures.popitem(last=False)
                self._size -= len(old)

    def __contains__(self, key: str) -> bool:
        with self._lock:
            return key in self._figures

    def issue(self, user_id: int, patient_id: int, key: str) -> None:
        """Note that an audited page view of ``user_id`` linked the figure ``key``."""
        now = time.monotonic()
        with self._lock:
            self._issued[(user_id, patient_id, key)] = now + ISSUED_SECONDS
            self._issued.move_to_end((user_id, patient_id, key))
            while len(self._issued) > MAX_ISSUED:
                self._issued.popitem(last=False)

    def was_issued(self, user_id: int, patient_id: int, key: str) -> bool:
        with self._lock:
            expires = self._issued.get((user_id, patient_id, key))
            return expires is not None and expires > time.monotonic()
