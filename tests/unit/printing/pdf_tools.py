"""Reading back the PDFs we print, with poppler's tools (poppler-utils; scripts/system-deps.sh --tests)."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, encoding="utf-8").stdout


def page_count(pdf: Path) -> int:
    match = re.search(r"^Pages:\s+(\d+)$", _run("pdfinfo", str(pdf)), re.MULTILINE)
    assert match, "pdfinfo did not report a page count"
    return int(match.group(1))


def text(pdf: Path, page: int | None = None) -> str:
    """The text of the whole file, or of one page (1-based), as pdftotext extracts it."""
    pages = ["-f", str(page), "-l", str(page)] if page is not None else []
    return _run("pdftotext", "-enc", "UTF-8", *pages, str(pdf), "-")


@dataclass(frozen=True)
class FontRow:
    name: str
    embedded: bool


def fonts(pdf: Path) -> list[FontRow]:
    """pdffonts' table: the name and the "emb" column of every font the file uses."""
    lines = _run("pdffonts", str(pdf)).splitlines()
    header, _rule, *rows = lines
    assert header.split()[:3] == ["name", "type", "encoding"], header
    emb_at = header.index("emb")
    found = []
    for row in rows:
        flag = row[emb_at : emb_at + 3].strip()
        assert flag in ("yes", "no"), row
        found.append(FontRow(row.split()[0], flag == "yes"))
    return found


@dataclass(frozen=True)
class Word:
    text: str
    page: int
    x_min: float
    x_max: float


def words(pdf: Path) -> list[Word]:
    """Every word with its page and horizontal extent (``pdftotext -bbox``)."""
    html = _run("pdftotext", "-bbox", "-enc", "UTF-8", str(pdf), "-")
    found: list[Word] = []
    for number, page in enumerate(html.split("<page ")[1:], start=1):
        for x_min, x_max, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', page
        ):
            found.append(Word(word, number, float(x_min), float(x_max)))
    return found
