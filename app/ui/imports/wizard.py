"""The import wizard for every kind of sheet: file → columns → (values) → preview → result.

It is given an ``ImportOptionsPanel`` that names the kind (花名册, 会费代扣表 …), builds the
area's importer and shows that importer's own choices on the preview page. The file is read
once; nothing is written before the last step; all reading and checking runs in the
background with progress and cancel. The rows are checked when the columns are confirmed:
values the importer asks about (``plan.questions``: a 慰问事由 in the union's own words) get a
step of their own, whose answers the importer is given for the preview and remembers when it
writes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.services.errors import UserError
from app.services.excel.values import text as cell_text
from app.services.progress import Cancelled, Progress
from app.ui.dialog_parts import resize_within_screen
from app.ui.operations import read_operation, run_operation, show_error, write_operation

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.excel.reader import Sheet
    from app.services.excel.table import ColumnMapping
    from app.services.imports import Answer, Importer, ImportPlan, ImportResult, Question
    from app.ui.context import AppContext

    AnyImporter = Importer[Any, Any]

_NOT_IMPORTED = "（不导入）"
_NOT_ANSWERED = "（不说明）"
FILE, MAPPING, QUESTIONS, PREVIEW, RESULT = range(5)  # the pages' ids
_SHOWN_ROWS = 8  # row numbers shown per question before "…"
_ACTIONS = {"new": "新增", "update": "更新", "unchanged": "无变化", "skip": "跳过（已有）", "error": "有错误"}


class ImportOptionsPanel(QWidget):
    """What a kind of sheet brings to the wizard: its name, its importer, and the choices
    that importer offers (shown on the preview page; ``changed`` asks for a new preview)."""

    changed = Signal()

    def __init__(
        self, title: str, noun: str, row_label: str, make: Callable[[], AnyImporter], *, unit: str = "行"
    ) -> None:
        super().__init__()
        self.title = title  # 花名册
        self.noun = noun  # 名会员: what was imported, in the result
        self.unit = unit  # 人: what the preview counts
        self.row_label = row_label  # 姓名: the preview's column naming each row
        self._make = make
        self.box = QVBoxLayout(self)  # the importer's own choices go here
        self.box.setContentsMargins(0, 0, 0, 0)
        # the user's answers to the plan's questions, by (field key, value as written)
        self.answers: dict[tuple[str, str], Answer] = {}
        self.answers_note = ""  # where the answers are kept afterwards, under the questions

    def importer(self) -> AnyImporter:
        """A new importer with the choices and answers as they are now (imports the area's service)."""
        importer = self._make()
        if self.answers:
            importer.options = replace(importer.options, answers=dict(self.answers))
        return importer


class _State:
    """What the pages share."""

    def __init__(self, context: AppContext, panel: ImportOptionsPanel) -> None:
        self.context = context
        self.panel = panel
        self.path: Path | None = None
        self.sheets: list[Sheet] = []
        self.sheet: Sheet | None = None
        self.mapping: ColumnMapping | None = None
        self.plan: ImportPlan[Any] | None = None
        self.result: ImportResult | None = None

    def fields(self) -> list[tuple[str, str]]:
        importer = self.panel.importer()
        return [(f.key, f.label) for f in importer.fields if f.key not in importer.ignored_fields]


def _first_table_guess(importer: AnyImporter, sheets: list[Sheet]) -> tuple[Sheet, ColumnMapping] | None:
    """No header recognised: offer the first non-empty row of the first non-empty sheet."""
    from app.services.imports import mapping_for_header_row

    for sheet in sheets:
        for number, row in sheet.numbered():
            if any(cell_text(c) for c in row):
                return sheet, mapping_for_header_row(importer, sheet, number)
    return None


def _plan_in_background(
    page: QWizardPage,
    state: _State,
    on_success: Callable[[ImportPlan[Any]], None],
    on_failure: Callable[[BaseException], None],
) -> None:
    """Check every row of the chosen table with the importer as the panel has it now."""
    path, sheet, mapping = state.path, state.sheet, state.mapping
    assert path is not None and sheet is not None and mapping is not None
    importer = state.panel.importer()
    progress = Progress()

    def work(session: Session) -> ImportPlan[Any]:
        from app.services.imports import plan_sheet

        # the sheet read on the first page: the file is not read again
        return plan_sheet(session, importer, sheet, mapping, path=path, progress=progress)

    read_operation(
        page,
        state.context,
        work,
        on_success=on_success,
        on_failure=on_failure,
        label="正在检查每一行……",
        cancellable=True,
        progress=progress,
    )


def _rows_text(rows: tuple[int, ...]) -> str:
    shown = "、".join(map(str, rows[:_SHOWN_ROWS]))
    return f"第 {shown} 行" if len(rows) <= _SHOWN_ROWS else f"第 {shown}… 行，共 {len(rows)} 行"


class FilePage(QWizardPage):
    def __init__(self, state: _State) -> None:
        super().__init__()
        self.state = state
        self.setTitle(f"第 1 步：选择{state.panel.title}文件")
        self.setSubTitle(
            "支持 Excel（.xlsx、.xls）和 CSV 文件。标题行、“填报单位”行和表格下方的合计行会被自动跳过。"
        )
        self.path = QLineEdit()
        self.path.setReadOnly(True)
        self.path.setPlaceholderText("点“选择文件…”")
        browse = QPushButton("选择文件…")
        browse.clicked.connect(self.browse)
        self.sheet = QComboBox()
        self.sheet.currentIndexChanged.connect(self._sheet_changed)
        self.status = QLabel()
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        sheet_row = QHBoxLayout()
        sheet_row.addWidget(QLabel("工作表："))
        sheet_row.addWidget(self.sheet, 1)
        layout.addLayout(sheet_row)
        layout.addWidget(self.status)
        layout.addStretch(1)

    def browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            f"选择{self.state.panel.title}文件",
            str(Path.home()),
            "表格文件 (*.xlsx *.xlsm *.xls *.csv);;所有文件 (*)",
        )
        if name:
            self.load(Path(name))

    def load(self, path: Path) -> None:
        self.path.setText(str(path))
        self.status.setText("正在读取文件……")
        self.state.sheets, self.state.sheet, self.state.mapping = [], None, None
        self.completeChanged.emit()
        db, panel = self.state.context.db, self.state.panel
        if db is None:
            return

        def work(_progress: object) -> tuple[list[Sheet], Sheet | None, ColumnMapping | None, str]:
            from app.services.imports import find_sheet, read_file

            importer = panel.importer()
            sheets = read_file(path)
            try:
                with db.reader() as session:
                    found = find_sheet(session, importer, sheets)
            except UserError as exc:
                guess = _first_table_guess(importer, sheets)
                if guess is None:
                    return sheets, None, None, str(exc)
                return (
                    sheets,
                    guess[0],
                    guess[1],
                    "没有自动认出表头：请在下一步指定表头所在的行，并为各列选择对应的项。",
                )
            remembered = "已按上次确认的对应关系识别各列" if found.remembered else ""
            return sheets, found.sheet, found.mapping, remembered

        def loaded(result: tuple[list[Sheet], Sheet | None, ColumnMapping | None, str]) -> None:
            sheets, sheet, mapping, message = result
            self.state.path = path
            self.state.sheets = sheets
            self.sheet.blockSignals(True)
            self.sheet.clear()
            for item in sheets:
                self.sheet.addItem(item.name)
            self.sheet.blockSignals(False)
            if sheet is not None:
                self.sheet.setCurrentText(sheet.name)
                self.state.sheet, self.state.mapping = sheet, mapping
                header_row = mapping.header_row if mapping else 0
                rows = sum(1 for number, cells in sheet.numbered() if number > header_row and cells)
                self.status.setText(
                    f"找到{self.state.panel.title}：工作表“{sheet.name}”，表头在第 {mapping.header_row if mapping else '?'} 行，约 {rows} 行数据。{message}"
                )
            else:
                self.status.setText(message + "\n请在上面选择工作表。")
            self.completeChanged.emit()

        def failed(error: BaseException) -> None:
            self.status.setText(f"无法读取：{error}" if isinstance(error, UserError) else "读取失败")
            if not isinstance(error, UserError):
                show_error(self, error)

        run_operation(
            self, work, on_success=loaded, on_failure=failed, label="正在读取文件……", cancellable=True
        )

    def _sheet_changed(self) -> None:
        from app.services.excel.table import find_table

        chosen = next((s for s in self.state.sheets if s.name == self.sheet.currentText()), None)
        if chosen is None:
            return
        importer = self.state.panel.importer()
        mapping = find_table(chosen, importer.fields)
        self.state.sheet, self.state.mapping = (chosen, mapping) if mapping else (None, None)
        self.status.setText(
            f"工作表“{chosen.name}”：表头在第 {mapping.header_row} 行"
            if mapping
            else f"工作表“{chosen.name}”中找不到{self.state.panel.title}的表头行"
        )
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.state.sheet is not None and self.state.mapping is not None


class MappingPage(QWizardPage):
    def __init__(self, state: _State) -> None:
        super().__init__()
        self.state = state
        self.setTitle("第 2 步：核对各列")
        self.setSubTitle("请确认文件中的每一列对应哪一项；不需要的列选“（不导入）”。")
        self.header_row = QSpinBox()
        self.header_row.setRange(1, 1000)
        self.header_row.valueChanged.connect(self._header_row_changed)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["文件中的列", "前几行的内容", "对应的项"])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 160)
        self.table.setColumnWidth(2, 170)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.remember = QCheckBox("记住这种表头的对应关系，下次自动使用")
        self.remember.setChecked(True)
        self.warning = QLabel()
        self.warning.setStyleSheet("color: #c0392b;")
        self.status = QLabel()  # the check of the rows, once the columns are confirmed
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(QLabel("表头在第"))
        row.addWidget(self.header_row)
        row.addWidget(QLabel("行"))
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.warning)
        layout.addWidget(self.status)
        layout.addWidget(self.remember)
        self._combos: list[QComboBox] = []
        self._labels: dict[str, str] = {}
        self._required: list[str] = []
        self._checking = False
        self._checked = False  # the rows were checked with the columns as confirmed: go on

    def initializePage(self) -> None:
        mapping = self.state.mapping
        assert mapping is not None
        self.header_row.blockSignals(True)
        self.header_row.setValue(mapping.header_row)
        self.header_row.blockSignals(False)
        self._show(mapping)

    def _header_row_changed(self, number: int) -> None:
        from app.services.imports import mapping_for_header_row

        assert self.state.sheet is not None
        try:
            self.state.mapping = mapping_for_header_row(self.state.panel.importer(), self.state.sheet, number)
        except UserError as exc:
            self.warning.setText(str(exc))
            return
        self._show(self.state.mapping)

    def _show(self, mapping: ColumnMapping) -> None:
        sheet = self.state.sheet
        assert sheet is not None
        samples = [
            row
            for number, row in sheet.numbered()
            if number > mapping.header_row and any(str(c).strip() for c in row)
        ][:3]
        fields = self.state.fields()
        self._labels = dict(fields)
        self._required = [s.key for s in self.state.panel.importer().required()]
        self.table.setRowCount(len(mapping.headers))
        self._combos = []
        for col, header in enumerate(mapping.headers):
            self.table.setItem(col, 0, QTableWidgetItem(header or f"（第 {col + 1} 列，无表头）"))
            shown = "；".join(cell_text(r[col]) for r in samples if col < len(r) and cell_text(r[col]))
            self.table.setItem(col, 1, QTableWidgetItem(shown))
            combo = QComboBox()
            combo.addItem(_NOT_IMPORTED, None)
            for key, label in fields:
                combo.addItem(label, key)
            index = combo.findData(mapping.fields.get(col))
            combo.setCurrentIndex(max(index, 0))
            combo.currentIndexChanged.connect(self._changed)
            self.table.setCellWidget(col, 2, combo)
            self._combos.append(combo)
        self._changed()

    def chosen(self) -> dict[int, str]:
        return {col: combo.currentData() for col, combo in enumerate(self._combos) if combo.currentData()}

    def _changed(self) -> None:
        chosen = list(self.chosen().values())
        duplicated = {k for k in chosen if chosen.count(k) > 1}
        labels = self._labels
        missing = [labels[k] for k in self._required if k not in chosen]
        if missing:
            self.warning.setText("必须有一列对应" + "、".join(f"“{m}”" for m in missing) + "。")
        elif duplicated:
            self.warning.setText(
                "这些项对应了多列，请只保留一列：" + "、".join(labels[k] for k in duplicated)
            )
        else:
            self.warning.setText("")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return not self.warning.text() and bool(self._combos) and not self._checking

    def validatePage(self) -> bool:
        """Check the rows with the columns as chosen (in the background); the wizard goes on
        once that is done, to the questions the check found or to the preview."""
        from app.services.excel.table import apply_mapping

        if self._checked:
            self._checked = False
            return True
        assert self.state.mapping is not None
        self.state.mapping = apply_mapping(self.state.mapping, self.chosen())
        self.state.plan = None
        self._checking = True
        self.status.setText("正在检查每一行……")
        self.completeChanged.emit()

        def planned(plan: ImportPlan[Any]) -> None:
            self._checking = False
            self.status.setText("")
            self.state.plan = plan
            self.completeChanged.emit()
            if self.wizard().currentPage() is self:  # not when the user went back meanwhile
                self._checked = True
                self.wizard().next()

        def failed(error: BaseException) -> None:
            self._checking = False
            cancelled = isinstance(error, Cancelled)
            self.status.setText(
                "已取消检查。" if cancelled else f"<span style='color:#c0392b'>无法检查：{error}</span>"
            )
            self.completeChanged.emit()
            if not isinstance(error, UserError):
                show_error(self, error)  # says nothing of a cancel

        _plan_in_background(self, self.state, planned, failed)
        return False

    def nextId(self) -> int:
        plan = self.state.plan
        return QUESTIONS if plan is not None and plan.questions else PREVIEW


class QuestionsPage(QWizardPage):
    """The values the importer does not know (a 慰问事由 in the union's own words), each with
    the rows it is on: what does it mean? Answered ones are checked again on the preview and
    remembered when the import is written; the others stay error rows."""

    def __init__(self, state: _State) -> None:
        super().__init__()
        self.state = state
        self.setTitle("第 3 步：说明不认识的写法")
        self.setSubTitle(
            "表中有些写法程序不认识。请为每一种选择它的意思：导入时会记住，以后的表格中再出现就能认出。"
            "不说明的写法，所在的行作为错误列出。"
        )
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["写法", "所在的列", "所在的行", "意思", "细分"])
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 140)
        self.table.setColumnWidth(1, 90)
        self.table.setColumnWidth(3, 150)
        self.table.setColumnWidth(4, 150)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.note = QLabel(state.panel.answers_note)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        self.questions: list[Question] = []
        self.choices: list[QComboBox] = []
        self.details: list[QComboBox] = []

    def initializePage(self) -> None:
        plan = self.state.plan
        self.questions = list(plan.questions) if plan is not None else []
        answers = self.state.panel.answers
        rows = sum(len(q.rows) for q in self.questions)
        self.intro.setText(f"共 {len(self.questions)} 种写法，在 {rows} 行中：")
        self.table.setRowCount(len(self.questions))
        self.choices, self.details = [], []
        for index, question in enumerate(self.questions):
            for column, value in enumerate((question.value, question.column, _rows_text(question.rows))):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(index, column, item)
            choice = QComboBox()
            choice.addItem(_NOT_ANSWERED, None)
            for option in question.choices:
                choice.addItem(option, option)
            detail = QComboBox()
            detail.setEditable(True)
            if line := detail.lineEdit():
                line.setMaxLength(20)
                line.setPlaceholderText("可不填")
            detail.setEnabled(bool(question.detail))
            answer = answers.get(question.key)
            choice.setCurrentIndex(max(choice.findData(answer.choice), 0) if answer else 0)
            self._suggest(question, choice, detail)
            detail.setCurrentText(answer.detail if answer else "")
            choice.currentIndexChanged.connect(
                lambda _i, q=question, c=choice, d=detail: self._suggest(q, c, d)
            )
            self.table.setCellWidget(index, 3, choice)
            self.table.setCellWidget(index, 4, detail)
            self.choices.append(choice)
            self.details.append(detail)
        header = self.questions[0].detail if self.questions and self.questions[0].detail else "细分"
        self.table.setHorizontalHeaderItem(4, QTableWidgetItem(header))

    @staticmethod
    def _suggest(question: Question, choice: QComboBox, detail: QComboBox) -> None:
        """The details worth offering for the meaning chosen; what was typed stays."""
        typed = detail.currentText()
        detail.clear()
        detail.addItems(["", *question.details.get(choice.currentData() or "", ())])
        detail.setCurrentText(typed)

    def answers(self) -> dict[tuple[str, str], Answer]:
        """The answers given on this page (unanswered questions left out)."""
        from app.services.imports import Answer

        return {
            question.key: Answer(choice.currentData(), detail.currentText().strip())
            for question, choice, detail in zip(self.questions, self.choices, self.details, strict=True)
            if choice.currentData()
        }

    def validatePage(self) -> bool:
        panel = self.state.panel
        before = dict(panel.answers)
        for question in self.questions:
            panel.answers.pop(question.key, None)
        panel.answers.update(self.answers())
        if panel.answers != before:
            self.state.plan = None  # the preview checks the rows again, with the answers
        return True


class PreviewPage(QWizardPage):
    imported = Signal()

    def __init__(self, state: _State) -> None:
        super().__init__()
        self.state = state
        self.setTitle("第 3 步：预览")
        self.setSubTitle("下面是导入后会发生的变化，还没有写入任何数据。")
        state.panel.changed.connect(self.check)
        self.skip_invalid = QCheckBox("跳过有错误的行，只导入没有错误的行")
        self.skip_invalid.toggled.connect(lambda _on: self.completeChanged.emit())
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        self.show_filter = QComboBox()
        for label, action in (
            ("全部", None),
            ("有错误", "error"),
            ("新增", "new"),
            ("更新", "update"),
            ("跳过", "skip"),
            ("无变化", "unchanged"),
        ):
            self.show_filter.addItem(label, action)
        self.show_filter.currentIndexChanged.connect(self._fill)
        self.save_errors = QPushButton("保存错误报告…")
        self.save_errors.clicked.connect(self.save_error_report)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["行号", state.panel.row_label, "处理", "说明"])
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setColumnWidth(0, 60)
        self.table.setColumnWidth(1, 90)
        self.table.setColumnWidth(2, 90)
        # the chosen row's 说明 in full: the column cuts the longest (how to fix an ID number
        # Excel turned into a number), and they are the ones that must be read
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table.currentCellChanged.connect(lambda row, *_: self._show_detail(row))
        bar = QHBoxLayout()
        bar.addWidget(QLabel("显示："))
        bar.addWidget(self.show_filter)
        bar.addStretch(1)
        bar.addWidget(self.save_errors)
        layout = QVBoxLayout(self)
        layout.addWidget(state.panel)
        layout.addWidget(self.skip_invalid)
        layout.addWidget(self.counts)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        self._writing = False
        self._done = False
        self.setCommitPage(True)  # after importing there is no going back
        self.setButtonText(QWizard.WizardButton.CommitButton, "开始导入")

    def initializePage(self) -> None:
        self._done = False
        asked = QUESTIONS in self.wizard().visitedIds()  # the steps are numbered as they were taken
        self.setTitle(f"第 {4 if asked else 3} 步：预览")
        if self.state.plan is not None:  # checked when the columns (and answers) were confirmed
            self._show(self.state.plan)
        else:
            self.check()

    def check(self) -> None:
        state = self.state
        if state.path is None or state.mapping is None or state.sheet is None:
            return
        state.plan = None
        self.counts.setText("正在检查……")
        self.completeChanged.emit()

        def failed(error: BaseException) -> None:
            self.counts.setText(f"无法检查：{error}")
            if not isinstance(error, UserError):
                show_error(self, error)

        _plan_in_background(self, state, self._show, failed)

    def _show(self, plan: ImportPlan[Any]) -> None:
        self.state.plan = plan
        noun = self.state.panel.unit
        counts = plan.counts()
        self._back_up_ahead(counts["new"] + counts["update"])
        errors = counts["error"]
        parts = [f"新增 {counts['new']} {noun}", f"更新 {counts['update']} {noun}",
                 f"无变化 {counts['unchanged']} {noun}", f"跳过已有的 {counts['skip']} {noun}",
                 f"有错误 {errors} 行"]  # fmt: skip
        extra = [f"将{note}" for note in plan.notes]
        extra += [f"提示：第 {w.row} 行“{w.column}”：{w.message}" for w in plan.warnings[:20]]
        if plan.ignored_rows:
            extra.append("已忽略合计、制表人等行：第 " + "、".join(map(str, plan.ignored_rows)) + " 行")
        if plan.mapping.unknown:
            extra.append("不导入的列：" + "、".join(plan.mapping.unknown))
        extra.extend(plan.file_notes)
        if plan.questions:
            words = "、".join(f"“{q.value}”" for q in plan.questions[:5]) + (
                "等" if len(plan.questions) > 5 else ""
            )
            extra.append(
                f"有 {len(plan.questions)} 种写法程序不认识（{words}），所在的行列为错误：点“上一步”可以说明意思。"
            )
        if errors:
            extra.append(
                "<b>有错误的行需要改正。</b>可以保存错误报告，在 Excel 中改好后再导入它；或勾选“跳过有错误的行”。"
            )
        self.counts.setText("，".join(parts) + "。<br>" + "<br>".join(extra))
        self.save_errors.setEnabled(errors > 0)
        self.show_filter.setCurrentIndex(1 if errors else 0)
        self._fill()
        self.completeChanged.emit()

    def _back_up_ahead(self, writable: int) -> None:
        """A large import's backup is made while the secretary reads the preview, so that
        开始导入 need not wait for it."""
        from app.services.imports import may_write_in_bulk

        db, sheet = self.state.context.db, self.state.sheet
        if db is not None and sheet is not None and writable and may_write_in_bulk([sheet]):
            db.back_up_ahead()

    def _fill(self) -> None:
        plan = self.state.plan
        if plan is None:
            self.table.setRowCount(0)
            return
        wanted = self.show_filter.currentData()
        rows = [r for r in plan.rows if wanted is None or r.action == wanted][:5000]
        self.table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            if row.issues:
                detail = "；".join(
                    f"“{i.column}”：{i.message}" if i.column else i.message for i in row.issues
                )
            elif row.changes:
                detail = "；".join(f"{c.label}：{c.old} → {c.new}" for c in row.changes)
            else:
                detail = "；".join(row.notes)
            for column, value in enumerate((str(row.row), row.title(), _ACTIONS[row.action], detail)):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                if row.action == "error":
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(index, column, item)
        if rows:
            self.table.setCurrentCell(0, 3)
        self._show_detail(0 if rows else -1)

    def _show_detail(self, row: int) -> None:
        number, detail = self.table.item(row, 0), self.table.item(row, 3)
        if row < 0 or number is None or detail is None or not detail.text():
            self.detail.setText("点选上面的一行，在这里看它完整的说明。")
            return
        self.detail.setText(f"第 {number.text()} 行：{detail.text()}")

    def save_error_report(self) -> None:
        plan = self.state.plan
        if plan is None:
            return
        default = str(plan.path.with_name(plan.path.stem + "_错误报告.xlsx"))
        name, _ = QFileDialog.getSaveFileName(self, "保存错误报告", default, "Excel 文件 (*.xlsx)")
        if not name:
            return

        def work(_progress: object) -> Path:
            from app.services.imports import check_report_path, write_error_report

            keep = [db.path] if (db := self.state.context.db) is not None else []
            return write_error_report(plan, check_report_path(Path(name), plan.path, keep=keep))

        run_operation(
            self,
            work,
            on_success=lambda p: self.counts.setText(self.counts.text() + f"<br>错误报告已保存：{p}"),
        )

    def isComplete(self) -> bool:
        plan = self.state.plan
        if plan is None or self._writing:
            return False
        counts = plan.counts()  # one pass: Qt asks this often, on the GUI thread
        writable = counts["new"] + counts["update"]
        return writable > 0 and (counts["error"] == 0 or self.skip_invalid.isChecked())

    def validatePage(self) -> bool:
        if self._done:
            return True
        plan = self.state.plan
        assert plan is not None
        self._writing = True
        self.completeChanged.emit()
        importer = self.state.panel.importer()
        skip_invalid = self.skip_invalid.isChecked()
        remember = bool(self.wizard().field("remember")) if self.wizard() else True
        progress = Progress()

        def work(session: Session) -> ImportResult:
            from app.services.imports import apply_plan

            return apply_plan(
                session, importer, plan, skip_invalid=skip_invalid, remember=remember, progress=progress
            )

        def written(result: ImportResult) -> None:
            self.state.result = result
            self._writing = False
            self._done = True
            self.imported.emit()
            self.wizard().next()

        def failed(error: BaseException) -> None:
            self._writing = False
            self.completeChanged.emit()
            show_error(self, error)

        write_operation(
            self,
            self.state.context,
            work,
            on_success=written,
            on_failure=failed,
            label="正在导入……",
            cancellable=True,
            progress=progress,
            initiator=self.wizard(),
        )
        return False


class ResultPage(QWizardPage):
    def __init__(self, state: _State) -> None:
        super().__init__()
        self.state = state
        self.setTitle("第 4 步：完成")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        QVBoxLayout(self).addWidget(self.summary)

    def initializePage(self) -> None:
        self.setTitle(f"第 {5 if QUESTIONS in self.wizard().visitedIds() else 4} 步：完成")
        result = self.state.result
        if result is None:
            return
        noun = self.state.panel.noun
        lines = [f"已新增 {result.new} {noun}，更新 {result.updated} {noun}。"]
        if result.unchanged:
            lines.append(f"{result.unchanged} {noun}与已有记录一致，没有变化。")
        if result.skipped:
            lines.append(f"跳过了已有的 {result.skipped} {noun}。")
        if result.invalid:
            lines.append(f"有错误的 {result.invalid} 行没有导入。")
        lines.extend(result.notes)
        self.summary.setText("\n".join(lines))


class ImportWizard(QWizard):
    imported = Signal()

    def __init__(self, context: AppContext, panel: ImportOptionsPanel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # once closed, nothing refers to it again: the sheet it read goes with it
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(f"导入{panel.title}")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setButtonText(QWizard.WizardButton.NextButton, "下一步")
        self.setButtonText(QWizard.WizardButton.BackButton, "上一步")
        self.setButtonText(QWizard.WizardButton.CancelButton, "取消")
        self.setButtonText(QWizard.WizardButton.FinishButton, "完成")
        self.state = _State(context, panel)
        self.file_page = FilePage(self.state)
        self.mapping_page = MappingPage(self.state)
        self.preview_page = PreviewPage(self.state)
        self.result_page = ResultPage(self.state)
        self.questions_page = QuestionsPage(self.state)
        pages = (self.file_page, self.mapping_page, self.questions_page, self.preview_page, self.result_page)
        for page_id, page in zip((FILE, MAPPING, QUESTIONS, PREVIEW, RESULT), pages, strict=True):
            self.setPage(page_id, page)
        self.mapping_page.registerField("remember", self.mapping_page.remember)
        self.preview_page.imported.connect(self.imported)
        resize_within_screen(self, 860, 600)

    def done(self, result: int) -> None:
        db = self.state.context.db
        if db is not None and self.state.result is None:  # closed without importing
            db.drop_backup_ahead()
        super().done(result)
