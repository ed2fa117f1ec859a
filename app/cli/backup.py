"""Commands of the system area: filled in by the work on issue 12."""

from __future__ import annotations

import argparse

from app.cli.common import Parser


def register(sub: argparse._SubParsersAction[Parser]) -> None:
    del sub
