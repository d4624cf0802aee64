"""A Rich progress bar on stderr that ``--quiet`` turns off."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator


@contextlib.contextmanager
def progress(description: str, total: int, *, quiet: bool) -> Iterator[Callable[[], None]]:
    """Yield an ``advance()`` callable; draws a bar on stderr unless ``quiet``."""
    if quiet or total <= 0:
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=total)
        yield lambda: bar.advance(task)
