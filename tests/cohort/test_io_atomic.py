"""Interrupted writes (Ctrl-C) leave neither a partial file nor a temporary one."""

import pytest

from leptodx.cohort.io import write_bytes_atomic


def test_interrupted_write_leaves_previous_file_untouched_and_no_temporary(tmp_path) -> None:
    target = tmp_path / "report.html"
    target.write_text("previous")

    def interrupted(tmp):
        tmp.write_text("half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_bytes_atomic(target, interrupted)
    assert target.read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_successful_write_replaces_the_file(tmp_path) -> None:
    target = tmp_path / "sub" / "model.json"
    write_bytes_atomic(target, lambda tmp: tmp.write_text("{}"))
    assert target.read_text() == "{}"
    assert sorted(p.name for p in target.parent.iterdir()) == ["model.json"]
