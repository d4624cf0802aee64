"""``leptodx stats``: statistics on a data file (CSV, TSV, Parquet, Excel).

Commands are registered on :data:`stats_app` by the modules ``leptodx.cli.stats_*``.
"""

from __future__ import annotations

from leptodx.cli._app import App
from leptodx.cohort.table import column, read_table

__all__ = ["column", "read_table", "stats_app"]

stats_app = App(help="Statistics on a data file: ROC/DeLong, calibration, decision curves, models.")
