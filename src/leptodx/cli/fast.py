"""The most frequent command lines without Typer: ``--version`` and ``assess FILE [options]``.

Building the Typer application costs about as much as the whole assessment (≈ 0.1–0.15 s of
imports), and a clinician's ``leptodx assess FILE`` pays it every time. This parser accepts only
command lines it fully understands — ``leptodx --version``, and ``leptodx assess`` with one
FILE and the options ``--format``, ``--profile``, ``--ignore-unknown``/``--strict-codes``,
``--model`` and ``--predictors`` (as ``--opt VALUE`` or ``--opt=VALUE``, the last one winning, as
Click does) — and runs them with the command's own code (:mod:`leptodx.cli.assess_run`) and its
own error handling (:mod:`leptodx.cli.failures`). Anything else — ``--help``, an unknown or
misspelt option, a missing value, a format that is not a choice, a second FILE, ``--`` — returns
``None`` and goes to the Typer application, which prints its usual help or error. The options are
read from the Typer command itself in ``tests/cli/test_fast_path.py``, which also runs the same
command lines both ways and compares stdout, stderr and exit status.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from leptodx import __version__

#: Options of ``leptodx assess`` that take a value, and the flag pairs (name → value it sets).
VALUE_OPTIONS = ("--format", "--profile", "--model", "--predictors")
FLAGS = {"--ignore-unknown": True, "--strict-codes": False}


@dataclass(frozen=True)
class AssessCall:
    """One understood ``leptodx assess`` command line."""

    file: Path
    format: str = "text"
    profile: str | None = None
    ignore_unknown: bool = True
    model: Path | None = None
    predictors: Path | None = None


def parse_assess(args: list[str]) -> AssessCall | None:
    """The call ``args`` (after ``assess``) makes, or ``None`` when Typer should handle it."""
    from leptodx.cli.assess_run import Format  # the choices of the Typer command's --format

    values: dict[str, str] = {}
    ignore_unknown = True
    files: list[str] = []
    rest = list(args)
    while rest:
        token = rest.pop(0)
        if not token.startswith("-") or token == "-":
            files.append(token)
            continue
        name, equals, value = token.partition("=")
        if name in FLAGS and not equals:
            ignore_unknown = FLAGS[name]
        elif name in VALUE_OPTIONS and equals:
            values[name] = value
        elif name in VALUE_OPTIONS and rest and not rest[0].startswith("-"):
            values[name] = rest.pop(0)
        else:
            return None
    if len(files) != 1 or values.get("--format", "text") not in {f.value for f in Format}:
        return None
    model, predictors = values.get("--model"), values.get("--predictors")
    return AssessCall(
        file=Path(files[0]),
        format=values.get("--format", "text"),
        profile=values.get("--profile"),
        ignore_unknown=ignore_unknown,
        model=Path(model) if model is not None else None,
        predictors=Path(predictors) if predictors is not None else None,
    )


def run_assess_call(call: AssessCall) -> int:
    """Run an understood ``assess`` call as the Typer command would; its exit status."""
    from leptodx.cli.assess_run import Format, run_assess
    from leptodx.cli.failures import USER_ERROR_EXIT, print_error, user_failure
    from leptodx.reference.csf import DEFAULT_PROFILE

    try:
        run_assess(
            call.file,
            Format(call.format),
            profile=call.profile if call.profile is not None else DEFAULT_PROFILE,
            ignore_unknown=call.ignore_unknown,
            model=call.model,
            predictors=call.predictors,
        )
    except Exception as exc:
        message = user_failure(exc)
        if message is None:
            raise
        print_error(message)
        return USER_ERROR_EXIT
    return 0


def run(argv: list[str]) -> int | None:
    """Exit status of a command line run here, or ``None``: let the Typer application run it."""
    if argv == ["--version"]:
        sys.stdout.write(f"leptodx {__version__}\n")
        return 0
    if not argv or argv[0] != "assess":
        return None
    call = parse_assess(argv[1:])
    if call is None:
        return None
    try:
        return run_assess_call(call)
    except KeyboardInterrupt:  # as Click ends an interrupted command
        sys.stderr.write("\nAborted!\n")
        return 1
