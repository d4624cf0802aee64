"""A progress bar on stderr whose total is known once the work is planned (``--quiet``: none).

The bar is drawn from the first :meth:`Ticker.plan` on, so an input refused while the work is
planned leaves stderr with the error message alone.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Ticker:
    """``plan(n)`` once the number of steps is known, then ``advance()`` after each."""

    description: str = ""
    quiet: bool = True
    stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)
    bar: Any = None
    task: Any = None

    def plan(self, total: int) -> None:
        if self.quiet:
            return
        if self.bar is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

            self.bar = self.stack.enter_context(
                Progress(
                    "[progress.description]{task.description}",
                    BarColumn(),
                    MofNCompleteColumn(),
                    TimeElapsedColumn(),
                    console=Console(stderr=True),
                    transient=True,
                )
            )
            self.task = self.bar.add_task(self.description, total=total)
        else:
            self.bar.update(self.task, total=total)

    def advance(self) -> None:
        if self.bar is not None:
            self.bar.advance(self.task)


@contextlib.contextmanager
def ticker(description: str, *, quiet: bool) -> Iterator[Ticker]:
    """A Rich bar on stderr (transient) from the first ``plan``, or a silent ticker."""
    bar = Ticker(description, quiet)
    with bar.stack:
        yield bar
