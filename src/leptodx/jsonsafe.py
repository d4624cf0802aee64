"""Strict-JSON conversion shared by the CLI, reports and the web service."""

from __future__ import annotations

import math
from typing import Any


def json_safe(obj: Any) -> Any:
    """Copy of ``obj`` that ``json.dumps(allow_nan=False)`` accepts: NaN/inf → None, numpy → Python."""
    if isinstance(obj, dict):
        return {str(k): json_safe(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [json_safe(v) for v in obj]
    if hasattr(obj, "tolist") and not isinstance(obj, str | bytes):
        return json_safe(obj.tolist())
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj
