"""The program's log: ``uniondesk.log`` in the user log folder, rotated so it never grows
without end (1 MB a file, the five before it kept as uniondesk.log.1 … .5).

The window and the command line both write to it; support asks for this file when something
went wrong. A log that cannot be written never stops the program: when the folder cannot be
made or written the program runs on with no file log (the window's warnings then go to the
terminal, the command line stays quiet).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

LOG_NAME = "uniondesk.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
# the process id tells apart the window and a command line writing to the same file at once
FORMAT = "%(asctime)s [%(process)d] %(levelname)s %(name)s: %(message)s"


class RotatingLog(logging.FileHandler):
    """A log file that starts afresh before it would pass ``max_bytes``, the ones before it
    kept as uniondesk.log.1 … .``backup_count``; it gives up quietly instead of printing
    "--- Logging error ---". Written on FileHandler rather than logging.handlers'
    RotatingFileHandler, which brings socket, pickle and queue: 10 ms of the window's start."""

    def __init__(self, path: Path, *, max_bytes: int, backup_count: int) -> None:
        super().__init__(path, encoding="utf-8")
        self.max_bytes, self.backup_count = max_bytes, backup_count

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self.shouldRollover(record):
                self.doRollover()
        except Exception:
            self.handleError(record)
        super().emit(record)

    def shouldRollover(self, record: logging.LogRecord) -> bool:
        """Counting the line in bytes: Chinese takes three a character (the standard handler
        counts characters, letting a file pass its limit)."""
        if self.stream is None:
            self.stream = self._open()
        line = f"{self.format(record)}\n".encode(self.encoding or "utf-8", "replace")
        self.stream.seek(0, 2)
        return self.max_bytes > 0 and self.stream.tell() + len(line) > self.max_bytes

    def doRollover(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        try:
            for number in range(self.backup_count - 1, 0, -1):
                older = f"{self.baseFilename}.{number}"
                if os.path.exists(older):
                    self.rotate(older, f"{self.baseFilename}.{number + 1}")
            if self.backup_count > 0:
                self.rotate(self.baseFilename, f"{self.baseFilename}.1")
        except OSError:
            pass  # Windows refuses to rename a file another UnionDesk has open: write on, rotate later
        self.stream = self._open()

    def rotate(self, source: str, dest: str) -> None:
        os.replace(source, dest)

    def handleError(self, record: logging.LogRecord) -> None:
        """A line that cannot be written is dropped: the program matters more than its log."""


def _ours() -> RotatingLog | None:
    for handler in logging.getLogger().handlers:
        if isinstance(handler, RotatingLog):
            return handler
    return None


def configure_logging(*, level: int = logging.INFO, warnings_to_stderr: bool = False) -> Path | None:
    """Send the log to ``log_dir()/uniondesk.log``; the file, or None when it cannot be written.
    Called again, it changes nothing and returns the same file — unless the log folder has
    moved meanwhile (``UNIONDESK_HOME`` changed: tests), then the log moves with it."""
    from app.paths import log_dir

    root = logging.getLogger()
    path = log_dir() / LOG_NAME
    existing = _ours()
    if existing is not None:
        if Path(existing.baseFilename) == path.absolute():
            return path.absolute()
        root.removeHandler(existing)
        existing.close()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingLog(path, max_bytes=MAX_BYTES, backup_count=BACKUP_COUNT)
    except (OSError, ValueError):  # no such drive, no permission, a file where the folder should be
        if not root.handlers:
            fallback = logging.StreamHandler() if warnings_to_stderr else logging.NullHandler()
            fallback.setLevel(logging.WARNING)
            fallback.setFormatter(logging.Formatter(FORMAT))
            root.addHandler(fallback)
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
    return Path(handler.baseFilename)


def log_file() -> Path | None:
    """The file the log goes to; None before ``configure_logging`` or when it cannot be written."""
    handler = _ours()
    return Path(handler.baseFilename) if handler is not None else None


def where_the_log_is() -> str:
    """In words, for a message: the log's file, or why there is none."""
    path = log_file()
    if path is not None:
        return f"日志文件：{path}"
    from app.paths import log_dir

    return f"日志文件夹“{log_dir()}”无法写入，这次没有保存日志"
