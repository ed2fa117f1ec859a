"""Pages of capabilities not built yet: say plainly what will be there."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

COMING = {
    "活动经费": (
        "活动与经费预算",
        ["按《工会会计制度》科目编制年度预算",
         "每次活动的预算、参加人员和实际支出",
         "慰问支出自动计入预算执行情况"],
    ),
    "报表": (
        "报表",
        ["向上级工会报送的月度报表（会员变动、会费、慰问、帮扶、收支）",
         "年终工作总结初稿（Word 文档，数字全部来自记录）"],
    ),
}  # fmt: skip


class PlaceholderPage(QWidget):
    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title, items = COMING[key]
        heading = QLabel(title)
        heading.setStyleSheet("font-size: 18pt; font-weight: bold;")
        intro = QLabel("这一部分正在开发中，上线后将提供：")
        body = QLabel("<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")
        body.setWordWrap(True)
        body.setTextFormat(Qt.TextFormat.RichText)
        note = QLabel("会员名册中录入的会员信息会直接用于这些功能，无需重复录入。")
        note.setStyleSheet("color: #777;")
        layout = QVBoxLayout(self)
        for widget in (heading, intro, body, note):
            layout.addWidget(widget)
        layout.addStretch(1)
