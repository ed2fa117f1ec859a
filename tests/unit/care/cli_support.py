"""Running `uniondesk …` inside a test: the exit code and everything it printed."""

from __future__ import annotations

import pytest

from app.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    try:
        code = main(list(args))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out + err
