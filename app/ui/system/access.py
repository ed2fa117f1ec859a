"""Who may see a 账套 in this window, and for how long: one window's side of the instance
lock, the network-share warning, the 启动密码 and the auto-lock.

Opening a 账套 goes: ``admit_window`` (a worker thread: the lock, the password's hash, the
file system) → ``WindowAccess.admit`` (the GUI thread: the warning, the password dialog)
→ the pages read the 账套 → ``opened`` (this 账套's lock is kept, the previous one
released, the auto-lock set). A 账套 not admitted (password cancelled, open failed) gives
its lock back at once.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMainWindow

from app.services.system.access import Admission, network_note, network_warning
from app.services.system.password import PasswordRequiredError, verify_password
from app.ui.context import AppContext, Changes
from app.ui.operations import read_operation
from app.ui.system.lock_screen import MS_PER_MINUTE, IdleLock

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox
    from sqlalchemy.orm import Session

    from app.ui.system.password_dialog import PasswordDialog

APP_SETTINGS = "app_settings"  # the table the 启动密码 and the lock minutes live in


class WindowAccess(QObject):
    """One main window's access to its 账套; ``WindowAccess.of(window, context)``."""

    def __init__(self, window: QMainWindow, context: AppContext) -> None:
        super().__init__(window)
        self.setObjectName("windowAccess")
        self._window = window
        self._context = context
        self._held: Admission | None = None
        self._pending: dict[Path, Admission] = {}
        self.idle_lock = IdleLock(window)
        self.password_dialog: PasswordDialog | None = None
        self.network_box: QMessageBox | None = None
        self._ask = True
        self._given: str | None = None
        context.changed.connect(self._changed)

    @classmethod
    def of(cls, window: QMainWindow, context: AppContext) -> WindowAccess:
        found = window.findChild(QObject, "windowAccess")
        return found if isinstance(found, WindowAccess) else cls(window, context)

    def answer_without_asking(self, password: str | None) -> None:
        """Nobody is there to answer (``gui --quit-when-ready``): no warning box, and the
        启动密码 is ``password`` (from the environment) or the 账套 stays closed."""
        self._ask = False
        self._given = password

    # -- opening -------------------------------------------------------------------------------
    def admit(
        self,
        admission: Admission,
        *,
        at_start: bool,
        proceed: Callable[[], None],
        stop: Callable[[BaseException | None], None],
    ) -> None:
        """Say what must be said and ask what must be asked before the 账套's data shows;
        then ``proceed()``, or ``stop(error)`` — None when the user cancelled."""
        self._pending[admission.path] = admission
        name = admission.path.name

        def ask_password() -> None:
            stored = admission.password.hash
            if stored is None:
                proceed()
            elif not self._ask:
                self._without_asking(admission, stored, proceed, stop)
            else:
                self._ask_password(admission, stored, at_start, proceed, stop)

        if not admission.network_share:
            ask_password()
        elif not self._ask:
            print(network_note(name), file=sys.stderr, flush=True)
            ask_password()
        else:
            from PySide6.QtWidgets import QMessageBox  # here: rarely needed, and costly at start-up

            box = QMessageBox(QMessageBox.Icon.Warning, "账套在网络共享文件夹上", network_warning(name),
                              QMessageBox.StandardButton.Ok, self._window)  # fmt: skip
            box.button(QMessageBox.StandardButton.Ok).setText("知道了")
            box.finished.connect(lambda _result: ask_password())
            self.network_box = box
            box.open()

    def _ask_password(
        self,
        admission: Admission,
        stored: str,
        at_start: bool,
        proceed: Callable[[], None],
        stop: Callable[[BaseException | None], None],
    ) -> None:
        from app.ui.system.password_dialog import OPEN, START, PasswordDialog  # only a 账套 with a password

        dialog = PasswordDialog(stored, admission.path.name, START if at_start else OPEN, self._window)

        def answered(result: int) -> None:
            self.password_dialog = None
            dialog.deleteLater()
            if result == PasswordDialog.DialogCode.Accepted.value:
                proceed()
            else:
                self.discard(admission.path)
                stop(None)

        dialog.finished.connect(answered)
        self.password_dialog = dialog
        dialog.open()

    def _without_asking(
        self,
        admission: Admission,
        stored: str,
        proceed: Callable[[], None],
        stop: Callable[[BaseException | None], None],
    ) -> None:
        from app.services.errors import UserError
        from app.services.system.password import ENV_PASSWORD

        try:
            right = self._given is not None and verify_password(stored, self._given)
        except UserError as exc:
            self.discard(admission.path)
            stop(PasswordRequiredError(str(exc)))
            return
        if right:
            proceed()
            return
        self.discard(admission.path)
        given = "不对" if self._given is not None else "没有给出"
        stop(
            PasswordRequiredError(
                f"账套“{admission.path.name}”设有启动密码，环境变量 {ENV_PASSWORD} 中的密码{given}"
            )
        )

    def discard(self, path: Path) -> None:
        """The 账套 at ``path`` was not opened after all: its lock goes back."""
        admission = self._pending.pop(Path(path).expanduser().resolve(), None)
        if admission is not None:
            admission.release()

    def opened(self, path: Path) -> None:
        """The 账套 at ``path`` is the window's now: keep its lock, drop the previous one,
        lock after its idle minutes."""
        admission = self._pending.pop(path, None)
        previous, self._held = self._held, admission
        if previous is not None and previous is not admission:
            previous.release()
        if admission is None:
            self.idle_lock.configure(None, 0)
        else:
            stored = admission.password
            self.idle_lock.configure(stored.hash, stored.idle_minutes * MS_PER_MINUTE)

    def release(self) -> None:
        """The window closes: every lock it holds goes back, the auto-lock stops."""
        held, self._held = self._held, None
        if held is not None:
            held.release()
        for admission in self._pending.values():
            admission.release()
        self._pending.clear()
        self.idle_lock.configure(None, 0)

    @property
    def holds(self) -> Path | None:
        """The 账套 whose lock the window holds."""
        return None if self._held is None else self._held.path

    # -- settings changed ----------------------------------------------------------------------
    def _changed(self, changes: Changes, _initiator: object) -> None:
        if changes.touches(APP_SETTINGS):
            self.reread()

    def reread(self) -> None:
        """The password or the minutes may have changed (设置 → 启动密码): read them again."""

        def work(session: Session) -> tuple[str | None, int]:
            from app.services.system.password import password_hash, password_state

            return password_hash(session), password_state(session).idle_minutes

        def show(found: tuple[str | None, int]) -> None:
            stored, minutes = found
            self.idle_lock.configure(stored, minutes * MS_PER_MINUTE)

        read_operation(self._window, self._context, work, on_success=show, quiet=True)
