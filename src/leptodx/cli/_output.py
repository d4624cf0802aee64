"""Plain output helpers shared by CLI commands (JSON to stdout, diagnostics to stderr)."""

from __future__ import annotations

import json
from typing import Any

import typer

from leptodx.jsonsafe import json_safe


def emit_json(payload: Any) -> None:
    """Write ``payload`` as indented, strict JSON to stdout."""
    typer.echo(json.dumps(json_safe(payload), indent=2, ensure_ascii=False, allow_nan=False))
