"""The most frequent command lines without Typer: ``--version``, ``assess FILE [options]`` and
``csf-table FILE --by GROUP [options]``.

Building the Typer application costs about as much as the whole assessment (≈ 0.1–0.15 s of
imports), and a clinician's ``leptodx assess FILE`` pays it every time. This parser accepts only
command lines it fully understands — ``leptodx --version``, and ``leptodx assess`` with one
FILE and the options ``--format``, ``--profile``, ``--ignore-unknown``/``--strict-codes``,
``--model`` and ``--predictors``, and ``leptodx csf-table`` with one FILE, ``--by`` and its
other options (as ``--opt VALUE`` or ``--opt=VALUE``, the last one winning, as Click does) — and
runs them with the command's own code (:mod:`leptodx.cli.assess_run`,
:mod:`leptodx.cli.csf_table_run`) and its own error handling (:mod:`leptodx.cli.failures`). Anything else — ``--help``, an unknown or
misspelt option, a missing value, a format that is not a choice, a second FILE, ``--`` — returns
``None`` and goes to the Typer application, which prints its usual help or error. The options are
read from the Typer command itself in ``tests/cli/test_fast_path.py``, which also runs the same
command lines both ways and compares stdout, stderr and exit status.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from leptodx import __version__

#: Options of ``leptodx assess`` that take a value, and the flag pairs (name → value it sets).
VALUE_OPTIONS = ("--format", "--profile", "--model", "--predictors")
FLAGS = {"--ignore-unknown": True, "--strict-codes": False}

#: The same for ``leptodx csf-table`` (flags: name → (parameter, value it sets)).
CSF_TABLE_VALUE_OPTIONS = ("--by", "--mapping", "--profile", "--out", "--format")
CSF_TABLE_FLAGS = {
    "--drop-invalid": ("drop_invalid", True),
    "--pdf": ("pdf", True),
    "--no-pdf": ("pdf", False),
}


@dataclass(frozen=True)
class _Parsed:
    file: str
    values: dict[str, str]
    flags: dict[str, bool]

    def path(self, option: str) -> Path | None:
        value = self.values.get(option)
        return Path(value) if value is not None else None


def _parse(
    args: list[str],
    value_options: tuple[str, ...],
    flags: dict[str, tuple[str, bool]],
    formats: Iterable[str],
) -> _Parsed | None:
    """One FILE and options as Click reads them (``--opt VALUE`` or ``--opt=VALUE``, flags
    without a value, the last one winning) with a ``--format`` among ``formats``, or None for
    anything else."""
    values: dict[str, str] = {}
    set_flags: dict[str, bool] = {}
    files: list[str] = []
    rest = list(args)
    while rest:
        token = rest.pop(0)
        if not token.startswith("-") or token == "-":
            files.append(token)
            continue
        name, equals, value = token.partition("=")
        if name in flags and not equals:
            parameter, setting = flags[name]
            set_flags[parameter] = setting
        elif name in value_options and equals:
            values[name] = value
        elif name in value_options and rest and not rest[0].startswith("-"):
            values[name] = rest.pop(0)
        else:
            return None
    if len(files) != 1 or values.get("--format", "text") not in set(formats):
        return None
    return _Parsed(files[0], values, set_flags)


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

    flags = {name: ("ignore_unknown", setting) for name, setting in FLAGS.items()}
    parsed = _parse(args, VALUE_OPTIONS, flags, (f.value for f in Format))
    if parsed is None:
        return None
    return AssessCall(
        file=Path(parsed.file),
        format=parsed.values.get("--format", "text"),
        profile=parsed.values.get("--profile"),
        ignore_unknown=parsed.flags.get("ignore_unknown", True),
        model=parsed.path("--model"),
        predictors=parsed.path("--predictors"),
    )


@dataclass(frozen=True)
class CsfTableCall:
    """One understood ``leptodx csf-table`` command line."""

    file: Path
    by: str
    mapping: Path | None = None
    profile: str | None = None
    out: Path | None = None
    format: str = "text"
    drop_invalid: bool = False
    pdf: bool = True


def parse_csf_table(args: list[str]) -> CsfTableCall | None:
    """The call ``args`` (after ``csf-table``) makes, or ``None`` when Typer should handle it."""
    from leptodx.cli._output import OutputFormat

    formats = (f.value for f in OutputFormat)
    parsed = _parse(args, CSF_TABLE_VALUE_OPTIONS, CSF_TABLE_FLAGS, formats)
    if parsed is None or "--by" not in parsed.values:
        return None
    return CsfTableCall(
        file=Path(parsed.file),
        by=parsed.values["--by"],
        mapping=parsed.path("--mapping"),
        profile=parsed.values.get("--profile"),
        out=parsed.path("--out"),
        format=parsed.values.get("--format", "text"),
        drop_invalid=parsed.flags.get("drop_invalid", False),
        pdf=parsed.flags.get("pdf", True),
    )


def _guarded(work: Callable[[], None]) -> int:
    """Run a command's work; a user error ends as the Typer command ends it (one line, exit 2)."""
    from leptodx.cli.failures import USER_ERROR_EXIT, print_error, user_failure

    try:
        work()
    except Exception as exc:
        message = user_failure(exc)
        if message is None:
            raise
        print_error(message)
        return USER_ERROR_EXIT
    return 0


def run_csf_table_call(call: CsfTableCall) -> int:
    """Run an understood ``csf-table`` call as the Typer command would; its exit status."""
    from leptodx.cli._output import OutputFormat
    from leptodx.cli.csf_table_run import run_csf_table

    return _guarded(
        lambda: run_csf_table(
            call.file,
            by=call.by,
            mapping=call.mapping,
            profile=call.profile,
            out=call.out,
            fmt=OutputFormat(call.format),
            drop_invalid=call.drop_invalid,
            pdf=call.pdf,
        )
    )


def run_assess_call(call: AssessCall) -> int:
    """Run an understood ``assess`` call as the Typer command would; its exit status."""
    from leptodx.cli.assess_run import Format, run_assess
    from leptodx.reference.csf import DEFAULT_PROFILE

    return _guarded(
        lambda: run_assess(
            call.file,
            Format(call.format),
            profile=call.profile if call.profile is not None else DEFAULT_PROFILE,
            ignore_unknown=call.ignore_unknown,
            model=call.model,
            predictors=call.predictors,
        )
    )


def run(argv: list[str]) -> int | None:
    """Exit status of a command line run here, or ``None``: let the Typer application run it."""
    if argv == ["--version"]:
        sys.stdout.write(f"leptodx {__version__}\n")
        return 0
    if not argv:
        return None
    call: AssessCall | CsfTableCall | None = None
    if argv[0] == "assess":
        call = parse_assess(argv[1:])
    elif argv[0] == "csf-table":
        call = parse_csf_table(argv[1:])
    if call is None:
        return None
    try:
        if isinstance(call, CsfTableCall):
            return run_csf_table_call(call)
        return run_assess_call(call)
    except KeyboardInterrupt:  # as Click ends an interrupted command
        sys.stderr.write("\nAborted!\n")
        return 1
