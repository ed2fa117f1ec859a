"""工作总结: the year-end (or half-year) summary draft, drafted from the records in the
background, edited here as rich text and saved as a Word document.

The draft is a list of paragraphs, each of a kind (the title, a heading, a body paragraph, a
prompt, the issuer, the date). The editor shows each as one block formatted by its kind — the
title centred and bold, headings bold, body paragraphs indented two characters, the issuer and
date on the right — and keeps the kind as a property of the block's format, which a new
paragraph typed after it inherits. 【请补充：…】 prompts are highlighted while they are in the
text, so the secretary sees what is left to fill. Saving maps the blocks back to paragraphs,
one per non-empty block, and writes the .docx from them. The figures the draft quotes are
listed beneath (数据来源): each with its value, period and what it counts; a double click lists
the records it counts, as the report page's figures do (the command line's 数据来源 and the
.docx appendix give the command that lists them instead).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QSyntaxHighlighter,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.money import format_fen
from app.ui.context import AppContext
from app.ui.dialog_parts import outcome_label, tell_failure
from app.ui.lifetime import alive
from app.ui.operations import read_operation
from app.ui.tables import RIGHT, Column, RowRole, RowTableModel, RowTableView, text_column
from app.ui.widgets import ErrorLabel

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.reports import Figure, PeriodReport, SummaryParagraph, SummaryResult
    from app.ui.reports.records_dialog import RecordsDialog

__all__ = [
    "KIND_PROPERTY",
    "PROMPT",
    "SourceRow",
    "SummaryEditor",
    "SummaryTab",
    "half_name",
]

KIND_PROPERTY = QTextFormat.Property.UserProperty + 11  # the paragraph's kind, on its block format
PROMPT = re.compile(r"【请补充[：:][^】]*】")
PROMPT_COLOUR = QColor("#ffe066")
DOCX = "Word 文档 (*.docx)"
HALVES = (("全年", None), ("上半年", 1), ("下半年", 2))

# How each kind of paragraph looks in the editor (the .docx has its own official format).
TITLE, HEADING, SUBHEADING, BODY, PROMPT_KIND, RIGHT_ALIGNED = (
    "title", "heading", "subheading", "body", "prompt", "right",
)  # fmt: skip
# the service's kinds (app.services.reports.PARAGRAPH_KINDS) → how they look here
_STYLE_OF_KIND: dict[str, str] = {
    "title": TITLE,
    "heading1": HEADING,
    "heading2": SUBHEADING,
    "body": BODY,
    "prompt": PROMPT_KIND,
    "signature": RIGHT_ALIGNED,
    "date": RIGHT_ALIGNED,
}
_BODY_KIND = "body"


def half_name(half: int | None) -> str:
    return {None: "全年", 1: "上半年", 2: "下半年"}[half]


def _style(kind: str) -> str:
    return _STYLE_OF_KIND.get(kind, BODY)


def _pick_family(*families: str) -> str | None:
    present = set(QFontDatabase.families())
    return next((f for f in families if f in present), None)


# -- the editor ---------------------------------------------------------------------------------
class PromptHighlighter(QSyntaxHighlighter):
    """【请补充：…】 on a yellow ground, bold, for as long as it is in the text."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.prompt_format = QTextCharFormat()
        self.prompt_format.setBackground(PROMPT_COLOUR)
        self.prompt_format.setForeground(QColor("#7a3b00"))
        self.prompt_format.setFontWeight(QFont.Weight.Bold)
        self._pattern = QRegularExpression(PROMPT.pattern)

    def highlightBlock(self, text: str) -> None:
        matches = self._pattern.globalMatch(text)
        while matches.hasNext():
            match = matches.next()
            self.setFormat(match.capturedStart(), match.capturedLength(), self.prompt_format)


class SummaryEditor(QTextEdit):
    """The draft as rich text, one block per paragraph, its kind kept on the block."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptRichText(False)  # pasted text takes the paragraph's own look
        family = _pick_family("FangSong", "仿宋", "FangSong_GB2312", "仿宋_GB2312", "STFangsong")
        self.base_font = QFont(family) if family else QFont(self.font())
        self.base_font.setPointSizeF(13)
        self.document().setDefaultFont(self.base_font)
        self.document().setDocumentMargin(36)
        self.setStyleSheet("QTextEdit { background: white; }")
        self.highlighter = PromptHighlighter(self.document())
        self.setPlaceholderText("选择年度和期间，点“生成初稿”。初稿中的数字都来自账套中的记录。")
        self.document().setModified(False)

    # -- paragraphs in ---------------------------------------------------------------------------
    def set_paragraphs(self, paragraphs: Sequence[tuple[str, str]]) -> None:
        """Replace the document with these (kind, text) paragraphs; not modified afterwards."""
        document = self.document()
        document.clear()
        cursor = QTextCursor(document)
        cursor.beginEditBlock()
        for n, (kind, text) in enumerate(paragraphs):
            block, chars = self.formats(kind)
            if n == 0:
                cursor.setBlockFormat(block)
                cursor.setBlockCharFormat(chars)
            else:
                cursor.insertBlock(block, chars)
            cursor.insertText(text, chars)
        cursor.endEditBlock()
        document.clearUndoRedoStacks()
        document.setModified(False)
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def formats(self, kind: str) -> tuple[QTextBlockFormat, QTextCharFormat]:
        """The block and character formats of a paragraph of ``kind``."""
        style = _style(kind)
        block = QTextBlockFormat()
        block.setProperty(KIND_PROPERTY, kind)
        block.setLineHeight(160, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        chars = QTextCharFormat()
        chars.setFont(self.base_font)
        heading_family = _pick_family("SimHei", "黑体", "Source Han Sans SC", "Noto Sans CJK SC")
        if style == TITLE:
            block.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            block.setTopMargin(6)
            block.setBottomMargin(18)
            chars.setFontPointSize(20)
            chars.setFontWeight(QFont.Weight.Bold)
        elif style in (HEADING, SUBHEADING):
            block.setTopMargin(10)
            block.setBottomMargin(4)
            chars.setFontWeight(QFont.Weight.Bold)
            if style == HEADING and heading_family:
                chars.setFontFamilies([heading_family])
            if style == SUBHEADING:
                block.setTextIndent(self._two_chars())
        elif style == RIGHT_ALIGNED:
            block.setAlignment(Qt.AlignmentFlag.AlignRight)
            block.setRightMargin(24)
        else:  # body and prompts
            block.setAlignment(Qt.AlignmentFlag.AlignJustify)
            block.setTextIndent(self._two_chars())
        return block, chars

    def _two_chars(self) -> float:
        return 2 * QFontMetricsF(self.base_font).horizontalAdvance("中")

    # -- paragraphs out ------------------------------------------------------------------------------
    def edited_paragraphs(self) -> list[tuple[str, str]]:
        """(kind, text) of every non-empty block, in order. A prompt the secretary has
        answered (no 【请补充…】 left in it) becomes a body paragraph."""
        paragraphs: list[tuple[str, str]] = []
        block = self.document().begin()
        while block.isValid():
            text = block.text().replace("\u2028", "").strip()
            if text:
                kind = block.blockFormat().property(KIND_PROPERTY)
                kind = kind if isinstance(kind, str) and kind else _BODY_KIND
                if _style(kind) == PROMPT_KIND and not PROMPT.search(text):
                    kind = _BODY_KIND
                paragraphs.append((kind, block.text().strip()))
            block = block.next()
        return paragraphs

    def prompt_ranges(self) -> list[tuple[int, int, int]]:
        """(block number, start, length) of each highlighted stretch: what is left to fill."""
        found: list[tuple[int, int, int]] = []
        block = self.document().begin()
        while block.isValid():
            layout = block.layout()
            if layout is not None:
                for fmt in layout.formats():
                    if fmt.format.background().color() == PROMPT_COLOUR:
                        found.append((block.blockNumber(), fmt.start, fmt.length))
            block = block.next()
        return found

    def is_edited(self) -> bool:
        return self.document().isModified()


# -- the appendix ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class SourceRow:
    """One line of 数据来源."""

    id: int
    item: str
    value: str
    period: str
    counts: str
    key: str  # the figure's key in the report
    year_to_date: bool  # the value is the year's, not the period's
    listable: bool  # the report can list the records behind it


SOURCE_COLUMNS: tuple[Column[SourceRow], ...] = (
    Column("n", "序号", 52, lambda r: str(r.id), lambda r: r.id, alignment=RIGHT, hideable=False),
    Column("item", "项目", 220, lambda r: r.item, lambda r: r.item, hideable=False),
    Column("value", "数值", 120, lambda r: r.value, lambda r: r.value, alignment=RIGHT),
    text_column("period", "期间", 150),
    Column(
        "counts", "统计口径", 320, lambda r: r.counts, lambda r: r.counts, tooltip=lambda r: r.counts or None
    ),
    Column(
        "records",
        "明细",
        90,
        lambda r: "双击查看" if r.listable else "—",
        lambda r: r.listable,
        tooltip=lambda r: "双击列出这个数字统计的记录" if r.listable else "这个数字没有可以列出的记录",
    ),
)


def _value_text(figure: Figure) -> str:
    """The figure's value with its unit, as the appendix of the .docx writes it."""
    value = figure.period if figure.period is not None else figure.year_to_date
    if value is None:
        return "—"
    if figure.unit == "fen":
        return f"{format_fen(int(value))}元"
    if figure.unit == "%":
        return f"{value}%"
    return f"{value}{figure.unit}"


def source_rows(
    figures: Sequence[Figure], year: int, half: int | None, report: PeriodReport | None = None
) -> list[SourceRow]:
    """The summary's figures as the appendix's lines (a figure without a value of its own
    for the period is the whole year's); ``report``: the one they come from, whose figures
    can list their records."""
    label = f"{year}年" if half is None else f"{year}年{'上' if half == 1 else '下'}半年"
    known = {f.key for section in report.sections for f in section.figures} if report is not None else set()
    return [
        SourceRow(
            n,
            f.label,
            _value_text(f),
            label if f.period is not None else f"{year}年（全年）",
            f.counts,
            f.key,
            f.period is None,
            f.key in known,
        )
        for n, f in enumerate(figures, start=1)
    ]


# -- the tab ---------------------------------------------------------------------------------------
class SummaryTab(QWidget):
    """工作总结: choose the year and 全年 / 上半年 / 下半年, draft, edit, save as Word."""

    drafted = Signal()  # a draft is in the editor

    def __init__(
        self, context: AppContext, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.result: SummaryResult | None = None
        self.drafted_for: tuple[int, int | None] | None = None
        self.saved_to: Path | None = None
        self._generation = 0
        today = today or date.today()
        self.year = QSpinBox()
        self.year.setRange(2000, today.year)  # a year not begun has no records to sum up
        # a summary is written at the end of its year, or early in the next
        self.year.setValue(today.year if today.month >= 6 else today.year - 1)
        self.year.setSuffix(" 年")
        self.half = QComboBox()
        for name, value in HALVES:
            self.half.addItem(name, value)
        self.half.setToolTip("全年工作总结，或上半年 / 下半年的工作总结")
        self.draft_button = QPushButton("生成初稿")
        self.draft_button.setToolTip("按账套中的记录写出总结初稿：数字都来自记录，附数据来源")
        self.draft_button.setEnabled(False)
        self.save_button = QPushButton("保存为 Word…")
        self.save_button.setToolTip("按公文格式（GB/T 9704）保存为 .docx，包括您在这里所做的修改")
        self.save_button.setEnabled(False)
        top = QHBoxLayout()
        top.addWidget(QLabel("年度"))
        top.addWidget(self.year)
        top.addWidget(self.half)
        top.addWidget(self.draft_button)
        top.addStretch(1)
        top.addWidget(self.save_button)
        self.hint = QLabel(
            "黄色底色的<span style='background:#ffe066'>【请补充：…】</span>是记录中没有、需要您填写的内容，"
            "写好后删去提示。没有记录的工作不会写进初稿。"
        )
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")
        self.error = ErrorLabel()
        self.outcome = outcome_label()
        self.editor = SummaryEditor()
        self.sources_model: RowTableModel[SourceRow] = RowTableModel(SOURCE_COLUMNS)
        self.sources = RowTableView(
            "report_summary_sources", self.sources_model, default_sort=("n", Qt.SortOrder.AscendingOrder)
        )
        self.sources.setWordWrap(False)
        self.sources.doubleClicked.connect(lambda index: self.open_records(index.data(RowRole)))
        sources_box = QGroupBox("数据来源（初稿中每个数字的来历；双击一行，列出它统计的记录）")
        box = QVBoxLayout(sources_box)
        box.addWidget(self.sources)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.editor)
        self.splitter.addWidget(sources_box)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([640, 260])
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.hint)
        layout.addWidget(self.error)
        layout.addWidget(self.outcome)
        layout.addWidget(self.splitter, 1)
        self.draft_button.clicked.connect(lambda: self.draft())
        self.save_button.clicked.connect(lambda: self.save_docx())
        context.database_opened.connect(self._opened)
        if context.db is not None:
            self._opened(context.db)

    def _opened(self, _db: object) -> None:
        self.draft_button.setEnabled(True)

    def save_state(self) -> None:
        self.sources.save_state()

    def period(self) -> tuple[int, int | None]:
        half = self.half.currentData()
        return self.year.value(), half if isinstance(half, int) else None

    # -- drafting -------------------------------------------------------------------------------------
    def confirm_discard(self, ask: Callable[[str, str], bool] | None = None) -> bool:
        """True when there is no edited draft to lose, or the secretary agrees to lose it."""
        if self.result is None or not self.editor.is_edited():
            return True
        question = ask or self._ask
        return question(
            "已修改的初稿",
            "编辑区中的初稿已经修改，还没有保存为 Word。继续将丢弃这些修改。\n\n确定要继续吗？",
        )

    def _ask(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            self, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )  # fmt: skip
        return answer == QMessageBox.StandardButton.Yes

    def draft(self, ask: Callable[[str, str], bool] | None = None) -> bool:
        """Draft the summary of the chosen period in the background (after asking, when an
        edited draft would be replaced); False when nothing was started."""
        if self.context.db is None or not self.confirm_discard(ask):
            return False
        year, half = self.period()
        self._generation += 1
        generation = self._generation
        self.error.show_message("")
        self.outcome.setText("")
        self.draft_button.setEnabled(False)

        def work(session: Session) -> SummaryResult:
            from app.services.reports import draft_summary

            return draft_summary(session, year, half)

        def done(result: SummaryResult) -> None:
            if alive(self) and generation == self._generation:
                self.draft_button.setEnabled(True)
                self.show_draft(result, year, half)

        def failed(error: BaseException) -> None:
            if alive(self) and generation == self._generation:
                self.draft_button.setEnabled(True)
                tell_failure(self, self.error, error)

        read_operation(self, self.context, work, on_success=done, on_failure=failed,
                       label="正在生成总结初稿……")  # fmt: skip
        return True

    def show_draft(self, result: SummaryResult, year: int, half: int | None) -> None:
        self.result = result
        self.drafted_for = (year, half)
        self.saved_to = None
        self.editor.set_paragraphs([(p.kind, p.text) for p in result.paragraphs])
        self.sources_model.set_rows(source_rows(result.figures, year, half, result.report))
        self.save_button.setEnabled(True)
        prompts = len(self.editor.prompt_ranges())
        self.outcome.setText(
            f"已生成“{result.title}”初稿，引用数字 {len(result.figures)} 项"
            + (f"，{prompts} 处需要您补充（黄色底色）" if prompts else "")
            + "。"
        )
        self.drafted.emit()

    def open_records(self, source: SourceRow | None) -> RecordsDialog | None:
        """The records behind a line of 数据来源."""
        from app.ui.reports.records_dialog import RecordsDialog

        report = self.result.report if self.result is not None else None
        if source is None or report is None or not source.listable or self.context.db is None:
            return None
        figure = report.figure(source.key)
        dialog = RecordsDialog(
            self.context,
            report,
            source.key,
            year_to_date=source.year_to_date,
            figure=source.value,
            value=figure.year_to_date if source.year_to_date else figure.period,
            label=source.item,
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # -- saving ------------------------------------------------------------------------------------------
    def paragraphs(self) -> list[SummaryParagraph]:
        """The edited document as the service's paragraphs."""
        from app.services.reports import SummaryParagraph

        return [SummaryParagraph(kind, text) for kind, text in self.editor.edited_paragraphs()]

    def _default_name(self) -> str:
        from app.ui.files import safe_name

        title = self.result.title if self.result is not None else "工作总结"
        return safe_name(title) + ".docx"

    def save_docx(self, path: Path | None = None) -> bool:
        """The edited draft as a .docx (``path``: where, else the user chooses)."""
        from app.ui.files import write_file

        if self.drafted_for is None or self.context.db is None:
            return False
        if path is None:
            name, _ = QFileDialog.getSaveFileName(
                self, "保存为 Word", str(Path.home() / self._default_name()), DOCX
            )
            if not name:
                return False
            path = Path(name if name.lower().endswith(".docx") else name + ".docx")
        year, half = self.drafted_for
        paragraphs = self.paragraphs()
        if not paragraphs:
            self.error.show_message("初稿是空的，没有可以保存的内容")
            return False

        def work(session: Session, out: Path) -> None:
            from app.services.reports import write_summary

            write_summary(session, year, half, out, paragraphs=paragraphs)

        def written(out: Path) -> None:
            self.saved_to = out
            self.editor.document().setModified(False)
            self.outcome.setText(f"已保存为 Word：{out}")

        self.error.show_message("")
        write_file(self, self.context, path, work, done="已保存为 Word", label="正在保存 Word 文档……",
                   on_written=written)  # fmt: skip
        return True
