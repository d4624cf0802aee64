"""Package boundaries of reports/ and followup/ (issue 16): no private module of reports is used
from another package, and followup (the data) never imports reports (the drawing)."""

import ast
from pathlib import Path

SRC = Path(__file__).parents[2] / "src" / "leptodx"


def imports(package: str) -> list[tuple[str, str]]:
    """(file, imported module) for every import in ``src/leptodx/<package>``, absolute names."""
    found = []
    for path in sorted((SRC / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            found += [(str(path.relative_to(SRC)), name) for name in names]
    return found


def test_no_package_imports_a_private_module_of_reports() -> None:
    packages = [p.name for p in SRC.iterdir() if p.is_dir() and p.name != "reports"]
    private = [
        (f, m)
        for package in packages
        for f, m in imports(package)
        if m.startswith("leptodx.reports.") and m.split(".")[2].startswith("_")
    ]
    assert private == []


def test_followup_does_not_import_reports() -> None:
    upward = [(f, m) for f, m in imports("followup") if m.startswith("leptodx.reports")]
    assert upward == []


def test_reports_use_no_private_module_of_another_package() -> None:
    private = [
        (f, m)
        for f, m in imports("reports")
        if m.startswith("leptodx.")
        and not m.startswith("leptodx.reports")
        and any(part.startswith("_") and not part.startswith("__") for part in m.split(".")[1:3])
    ]
    assert private == []
