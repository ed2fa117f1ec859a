"""Errors a use case raises for the user to read (Chinese messages)."""

from __future__ import annotations


class UserError(Exception):
    """Something the user can fix; nothing was written."""


class ValidationError(UserError):
    """Per-field problems: {field: message}. ``str()`` joins them for the command line."""

    def __init__(self, errors: dict[str, str], labels: dict[str, str] | None = None) -> None:
        self.errors = dict(errors)
        names = labels or {}
        super().__init__("；".join(f"{names.get(k, k)}：{v}" for k, v in self.errors.items()))


class NotFoundError(UserError):
    pass
