"""A progress bar on stderr whose total is known once the work is planned (``--quiet``: none)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


@dataclass
class Ticker:
    """``plan(n)`` once the number of steps is known, then ``advance()`` after each."""

    bar: Any = None
    task: Any = None

    def plan(self, total: int) -> None:
        if self.bar is not None:
            self.bar.update(self.task, total=total)

    def advance(self) -> None:
        if self.bar is not None:
            self.bar.advance(self.task)


@contextlib.contextmanager
def ticker(description: str, *, quiet: bool) -> Iterator[Ticker]:
    """A Rich bar on stderr (transient), or a silent ticker."""
    if quiet:
        yield Ticker()
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
        yield Ticker(bar, bar.add_task(description, total=None))
