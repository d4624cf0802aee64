"""A Rich progress bar on stderr that ``--quiet`` turns off."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from leptodx.scale.progress import ticker


@contextlib.contextmanager
def progress(description: str, total: int, *, quiet: bool) -> Iterator[Callable[[], None]]:
    """Yield an ``advance()`` callable; draws a bar on stderr unless ``quiet``."""
    with ticker(description, quiet=quiet or total <= 0) as bar:
        bar.plan(total)
        yield bar.advance
