"""Plain output helpers shared by CLI commands (JSON to stdout); imports neither Typer nor Rich."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Any

from leptodx.jsonsafe import json_safe


class OutputFormat(StrEnum):
    """``--format`` of the commands that print a report as text or JSON."""

    TEXT = "text"
    JSON = "json"


def emit_json(payload: Any) -> None:
    """Write ``payload`` as indented, strict JSON to stdout."""
    text = json.dumps(json_safe(payload), indent=2, ensure_ascii=False, allow_nan=False)
    sys.stdout.write(text + "\n")
    sys.stdout.flush()
