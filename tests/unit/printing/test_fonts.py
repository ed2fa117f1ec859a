"""The font: a Windows 宋体 when there is one, else the bundled 文泉驿微米黑; never a font that
is missing, broken or without Chinese; and opening the package does not load reportlab."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.paths import resource
from app.services.printing.fonts import (
    FontFile,
    bundled_font,
    choose_font,
    pdf_fonts,
    system_body_fonts,
    system_heading_fonts,
)


def test_without_a_system_font_the_bundled_one_is_chosen(tmp_path: Path) -> None:
    missing = [FontFile(tmp_path / "simsun.ttc"), FontFile(tmp_path / "simfang.ttf")]
    chosen = choose_font(missing)
    assert chosen == bundled_font()
    assert chosen.path.name == "wqy-microhei.ttc"
    assert chosen.path.is_file()


def test_a_system_font_is_preferred_when_there_is_one(tmp_path: Path) -> None:
    system = tmp_path / "simsun.ttc"
    shutil.copyfile(bundled_font().path, system)
    chosen = choose_font([FontFile(tmp_path / "absent.ttf"), FontFile(system, 0)])
    assert chosen == FontFile(system, 0)


def test_a_broken_font_file_is_passed_over(tmp_path: Path) -> None:
    broken = tmp_path / "simsun.ttc"
    broken.write_bytes(b"\x00\x01\x00\x00" + b"not a font" * 100)
    good = tmp_path / "simfang.ttf"
    shutil.copyfile(bundled_font().path, good)
    assert choose_font([FontFile(broken), FontFile(good)]) == FontFile(good)
    assert choose_font([FontFile(broken)]) == bundled_font()


def test_windows_fonts_are_looked_for_where_windows_keeps_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "Fonts").mkdir()
    shutil.copyfile(bundled_font().path, tmp_path / "Fonts" / "simsun.ttc")
    monkeypatch.setenv("WINDIR", str(tmp_path))
    assert choose_font(system_body_fonts()) == FontFile(tmp_path / "Fonts" / "simsun.ttc", 0)
    assert choose_font(system_heading_fonts()) == bundled_font()  # no simhei.ttf there


def test_the_bundled_font_ships_with_its_licence() -> None:
    assert "Apache License" in resource("fonts", "LICENSE-Apache-2.0.txt").read_text(encoding="utf-8")
    assert "WenQuanYi" in resource("fonts", "wqy-microhei-COPYRIGHT.txt").read_text(encoding="utf-8")


def test_the_fonts_are_registered_once() -> None:
    from reportlab.pdfbase import pdfmetrics

    first = pdf_fonts()
    assert pdf_fonts() is first
    assert first.body in pdfmetrics.getRegisteredFontNames()
    assert first.heading in pdfmetrics.getRegisteredFontNames()


def test_opening_the_package_does_not_import_reportlab() -> None:
    code = (
        "import sys, app.services.printing as p\n"
        "assert 'reportlab' not in sys.modules, 'package'\n"
        "import app.cli\n"
        "assert 'reportlab' not in sys.modules, 'cli'\n"
        "p.ReceiptData\n"
        "assert 'reportlab' in sys.modules, 'first use'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
