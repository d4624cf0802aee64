"""The root command: version and help."""

from typer.testing import CliRunner

from leptodx import __version__
from leptodx.cli import app


def test_version_flag_prints_package_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"leptodx {__version__}"
