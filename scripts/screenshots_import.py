"""Screenshots of the import wizard on a messy roster, for looking at it as a user would.

xvfb-run -a -s "-screen 0 1400x900x24" python scripts/screenshots_import.py OUTDIR ROSTER.xlsx
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def main() -> int:
    out = Path(sys.argv[1])
    roster = Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    os.environ["UNIONDESK_HOME"] = tempfile.mkdtemp(prefix="uniondesk-shots-")
    from PySide6.QtCore import QTimer

    from app.ui.app import create_application

    app, _collector = create_application()
    from app.ui.imports.wizard import ImportWizard
    from app.ui.main_window import MainWindow
    from app.ui.operations import running_operations

    window = MainWindow()
    window.resize(1360, 820)
    window.show()
    db_path = Path(os.environ["UNIONDESK_HOME"]) / "shots.db"

    def idle(then: object, delay: int = 300) -> None:
        def check() -> None:
            if running_operations():
                QTimer.singleShot(100, check)
            else:
                QTimer.singleShot(delay, then)  # type: ignore[arg-type]

        QTimer.singleShot(100, check)

    def grab(widget: object, name: str) -> None:
        app.processEvents()
        widget.grab().save(str(out / f"{name}.png"))  # type: ignore[attr-defined]
        print(out / f"{name}.png")

    def start() -> None:
        window.roster.import_roster()
        wizard = window.roster.findChild(ImportWizard)
        wizard.file_page.load(roster)
        idle(lambda: (grab(wizard, "import-1-file"), wizard.next(), idle(lambda: step2(wizard))))

    def step2(wizard: ImportWizard) -> None:
        grab(wizard, "import-2-mapping")
        wizard.next()
        idle(lambda: step3(wizard), 500)

    def step3(wizard: ImportWizard) -> None:
        grab(wizard, "import-3-preview")
        wizard.preview_page.skip_invalid.setChecked(True)
        wizard.next()
        idle(lambda: step4(wizard), 800)

    def step4(wizard: ImportWizard) -> None:
        grab(wizard, "import-4-done")
        wizard.accept()
        idle(lambda: (grab(window, "import-5-roster"), app.quit()), 1500)

    window.roster_ready.connect(lambda: QTimer.singleShot(500, start))
    window.create_database(db_path, "截图工会")
    QTimer.singleShot(60_000, app.quit)
    app.exec()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
