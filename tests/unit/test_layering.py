"""The design's one hard boundary: nothing below app/ui imports Qt."""

import ast
from pathlib import Path

import app

ROOT = Path(app.__file__).parent


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_qt_below_the_ui() -> None:
    offenders = []
    for package in ("domain", "models", "services"):
        for path in (ROOT / package).rglob("*.py"):
            if any(name.split(".")[0] in ("PySide6", "shiboken6") for name in _imports(path)):
                offenders.append(str(path.relative_to(ROOT)))
    for path in (ROOT / "db.py", ROOT / "paths.py", ROOT / "cli.py"):
        if any(name.startswith("PySide6") for name in _imports(path)):
            offenders.append(path.name)
    assert offenders == []


def test_domain_is_pure() -> None:
    for path in (ROOT / "domain").rglob("*.py"):
        imported = {name.split(".")[0] for name in _imports(path)}
        assert not imported & {"sqlalchemy", "alembic", "PySide6"}, path.name


def test_the_check_itself_can_fail(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtWidgets import QWidget\n", encoding="utf-8")
    assert "PySide6.QtWidgets" in _imports(bad)
