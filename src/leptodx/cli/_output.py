"""Plain output helpers shared by CLI commands (JSON to stdout, diagnostics to stderr)."""

from __future__ import annotations

import json
import math
from typing import Any

import typer


def _clean(obj: Any) -> Any:
    """Make ``obj`` strict-JSON safe: NaN/inf become ``null``; numpy scalars become Python."""
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    if hasattr(obj, "tolist") and not isinstance(obj, str | bytes):
        return _clean(obj.tolist())
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def emit_json(payload: Any) -> None:
    """Write ``payload`` as indented, strict JSON to stdout."""
    typer.echo(json.dumps(_clean(payload), indent=2, ensure_ascii=False, allow_nan=False))
