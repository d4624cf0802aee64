"""The CLI loads Dask only when a batch job or a ``--scheduler`` run needs it: ``leptodx
--version`` and every command's ``--help`` start without it (issue 16: CLI start-up)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

HEAVY = ("dask", "distributed", "leptodx.batch.jobs", "leptodx.scale.runner")


def _loaded(code: str) -> list[str]:
    probe = (
        f"{code}\nimport json, sys\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    env = {k: v for k, v in os.environ.items() if k != "LEPTODX_DASK_SCHEDULER"}
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env
    )
    return list(json.loads(out.stdout.splitlines()[-1]))


def test_the_cli_and_its_batch_help_do_not_import_dask() -> None:
    assert _loaded("import leptodx.cli") == []
    code = (
        "from typer.testing import CliRunner\n"
        "from leptodx.cli import app\n"
        "for args in (['batch', 'assess', '--help'], ['develop', '--help'], ['--version']):\n"
        "    assert CliRunner().invoke(app, args).exit_code == 0\n"
    )
    assert _loaded(code) == []


def test_an_in_process_batch_job_does_not_start_dask(tmp_path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "in.jsonl"
    source.write_text('{"known_cancer": true}\n')
    code = (
        "from typer.testing import CliRunner\n"
        "from leptodx.cli import app\n"
        f"args = ['batch', 'assess', {str(source)!r}, '--out', {str(tmp_path / 'o.parquet')!r}]\n"
        "assert CliRunner().invoke(app, args).exit_code == 0\n"
    )
    assert _loaded(code) == ["leptodx.batch.jobs", "leptodx.scale.runner"]
