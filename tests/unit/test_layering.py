"""The house's boundaries (DESIGN.md "The shape"), read from every module's imports:
nothing below app/ui imports Qt; shared machinery imports no area; an area reaches another
only through that area's package; no floor imports the floor above it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import app

ROOT = Path(app.__file__).parent
AREAS = ("roster", "dues", "care", "activities", "reports", "system")
SHARED_SERVICES = ("excel", "imports", "printing")
SHARED_UI = ("tables", "imports")


def _imports(path: Path) -> set[str]:
    """Every module the file imports, at the top or inside a function (lazy imports count)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def _module_name(path: Path) -> str:
    return ".".join(("app", *path.relative_to(ROOT).with_suffix("").parts))


def _area_of(module: str, layer: str) -> str | None:
    """``roster`` for app.services.roster.members (layer "services"), None for shared modules."""
    parts = module.split(".")
    if len(parts) > 2 and parts[:2] == ["app", layer] and parts[2] in AREAS:
        return parts[2]
    if layer == "cli" and len(parts) > 2 and parts[:2] == ["app", "cli"] and parts[2] in AREAS:
        return parts[2]
    return None


def _real_modules() -> set[str]:
    found = {_module_name(p).removesuffix(".__init__") for p in ROOT.rglob("*.py")}
    return found


def _submodule_of_other_area(own: str | None, imported: str, modules: set[str]) -> bool:
    """app.services.dues.ledger imported from outside the dues area: a way past its door.
    ``from app.services.dues import x`` names app.services.dues.x, which is fine unless x is a module."""
    parts = imported.split(".")
    if len(parts) < 4 or parts[:2] != ["app", "services"] or parts[2] not in AREAS or parts[2] == own:
        return False
    return ".".join(parts[:4]) in modules


def test_no_qt_below_the_ui() -> None:
    offenders = []
    for folder in ("domain", "models", "services", "cli", "migrations"):
        for path in _modules(folder):
            if any(name.split(".")[0] in ("PySide6", "shiboken6") for name in _imports(path)):
                offenders.append(str(path.relative_to(ROOT)))
    for path in ROOT.glob("*.py"):
        if any(name.startswith("PySide6") for name in _imports(path)):
            offenders.append(path.name)
    assert offenders == []


def test_domain_is_pure() -> None:
    for path in _modules("domain"):
        imported = _imports(path)
        assert not {name.split(".")[0] for name in imported} & {"sqlalchemy", "alembic", "PySide6"}, path.name
        # the domain may read its data files (the pinyin table) through app.paths, nothing else of app
        assert all(not n.startswith("app.") or n.startswith(("app.domain", "app.paths")) for n in imported), (
            path.name
        )


def test_no_floor_imports_the_floor_above() -> None:
    above = {
        "domain": ("app.models", "app.services", "app.ui", "app.cli", "app.db"),
        "models": ("app.services", "app.ui", "app.cli"),
        "services": ("app.ui", "app.cli"),
    }
    offenders = [
        f"{path.relative_to(ROOT)} → {name}"
        for folder, forbidden in above.items()
        for path in _modules(folder)
        for name in _imports(path)
        if name.startswith(forbidden)
    ]
    assert offenders == []


def test_shared_machinery_imports_no_area() -> None:
    offenders = []
    shared = [
        p
        for folder in SHARED_SERVICES
        if (ROOT / "services" / folder).is_dir()
        for p in _modules(f"services/{folder}")
    ]
    shared += [p for p in (ROOT / "services").glob("*.py")]
    shared += [p for folder in SHARED_UI if (ROOT / "ui" / folder).is_dir() for p in _modules(f"ui/{folder}")]
    shared.append(ROOT / "cli" / "imports.py")  # cli/common finds members: the roster's door is its to use
    for path in shared:
        for name in _imports(path):
            if _area_of(name, "services") or _area_of(name, "ui") or _area_of(name, "cli"):
                offenders.append(f"{path.relative_to(ROOT)} → {name}")
    assert offenders == []


@pytest.mark.parametrize("layer", ["services", "ui", "cli"])
def test_an_area_reaches_another_only_through_its_package(layer: str) -> None:
    modules = _real_modules()
    offenders = []
    for path in _modules(layer):
        own = _area_of(_module_name(path), layer)
        for name in _imports(path):
            if _submodule_of_other_area(own, name, modules):
                offenders.append(f"{path.relative_to(ROOT)} → {name}")
    assert offenders == []


def test_the_checks_themselves_can_fail(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from PySide6.QtWidgets import QWidget\n"
        "def later():\n    from app.services.roster.members import get_member\n",
        encoding="utf-8",
    )
    imported = _imports(bad)
    assert "PySide6.QtWidgets" in imported
    assert _submodule_of_other_area("dues", "app.services.roster.members", _real_modules())
    assert not _submodule_of_other_area("roster", "app.services.roster.members", _real_modules())
    assert not _submodule_of_other_area("dues", "app.services.roster.list_groups", _real_modules())
    assert _area_of("app.services.roster.members", "services") == "roster"
    assert _area_of("app.services.excel.reader", "services") is None
