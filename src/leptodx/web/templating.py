"""Jinja2 templates of the pages and :func:`render` (adds the user, CSRF token and ``can``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from leptodx import DECISION_SUPPORT_NOTICE, __version__
from leptodx.presentation.assessment import input_line, summary_line
from leptodx.presentation.labels import ANALYTE_SHORT
from leptodx.reference.symptoms import SYMPTOMS
from leptodx.store.models import User
from leptodx.web import forms
from leptodx.web.case_view import definitions
from leptodx.web.csf_chart import chart_rows
from leptodx.web.policy import permits

templates = Jinja2Templates(directory=Path(__file__).with_name("templates"))


def can(user: User | None, method: str, path: str) -> bool:
    """Show a link or form only when the policy lets the user call its route."""
    return user is not None and permits(user.role, method, path)


templates.env.globals.update(
    notice=DECISION_SUPPORT_NOTICE,
    version=__version__,
    forms=forms,
    symptoms=SYMPTOMS,
    analyte_labels=ANALYTE_SHORT,
    assessment_line=summary_line,
    input_line=input_line,
    can=can,
    csf_chart_rows=chart_rows,
    category_help=definitions,
)


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    principal = getattr(request.state, "principal", None)
    base = {"csrf": principal.csrf if principal else "", "user": principal.user if principal else None}  # fmt: skip
    return templates.TemplateResponse(request, name, {**base, **context}, status_code=status)
