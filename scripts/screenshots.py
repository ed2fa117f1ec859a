"""Screenshots of every window, for looking at the GUI as a user would.

    xvfb-run -a -s "-screen 0 1400x900x24" python scripts/screenshots.py OUTDIR

Builds a demo 账套 in a temporary folder (nothing of the user's is touched).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="uniondesk-shots-"))
    os.environ["UNIONDESK_HOME"] = str(home)

    from app.db import open_database
    from app.services.system.demo import build_demo

    db_path = home / "demo.db"
    db = open_database(db_path)
    with db.session() as session:
        build_demo(session, members=500)
    db.close()

    from PySide6.QtCore import QTimer

    from app.ui.app import create_application

    app, _collector = create_application()
    from app.ui.main_window import MainWindow

    window = MainWindow()
    window.resize(1360, 820)
    window.show()
    shots: list[tuple[str, object]] = []

    def wait_then(delay: int, action: object) -> None:
        shots.append((str(delay), action))

    def grab(widget: object, name: str) -> None:
        app.processEvents()
        widget.grab().save(str(out / f"{name}.png"))  # type: ignore[attr-defined]
        print(out / f"{name}.png")

    def step_roster() -> None:
        window.roster.select_member(window.roster.model.row_at(3).id)
        QTimer.singleShot(600, step_roster_shot)

    def step_roster_shot() -> None:
        grab(window, "1-roster")
        window.roster.search.setText("zh")
        QTimer.singleShot(300, lambda: (grab(window, "2-roster-search-zh"), step_dialog()))

    def step_dialog() -> None:
        window.roster.search.clear()
        window.roster.select_member(window.roster.model.row_at(0).id)
        QTimer.singleShot(600, open_dialog)

    def open_dialog() -> None:
        window.roster.edit_member()
        QTimer.singleShot(500, shot_dialog)

    def shot_dialog() -> None:
        dialog = window.roster.findChild(
            __import__("app.ui.roster.member_dialog", fromlist=["x"]).MemberDialog
        )
        grab(dialog, "3-edit-dialog")
        dialog.id_number.setText("11010519491231002Y")
        dialog.phone.setText("12345")
        dialog.name.setText("")
        dialog.save()
        grab(dialog, "4-edit-dialog-errors")
        dialog.reject()
        window.roster.change_status()
        QTimer.singleShot(400, shot_status)

    def shot_status() -> None:
        from app.ui.roster.status_dialog import StatusDialog

        dialog = window.roster.findChild(StatusDialog)
        grab(dialog, "5-status-dialog")
        dialog.reject()
        window.show_page("首页")
        QTimer.singleShot(
            500,
            lambda: (grab(window, "6-home"), window.show_page("设置"), QTimer.singleShot(500, shot_settings)),
        )

    def shot_settings() -> None:
        grab(window, "7-settings")
        window.show_page("会费")
        QTimer.singleShot(200, lambda: (grab(window, "8-placeholder"), app.quit()))

    window.roster_ready.connect(lambda: QTimer.singleShot(1200, step_roster))
    window.open_database(db_path)
    QTimer.singleShot(30_000, app.quit)
    app.exec()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
