"""慰问事由用语: the words the 慰问登记表 import reads occasions by — the program's own and the
union's, which take the place of the program's meaning of the same word — and a form to add,
change or remove the union's words. Words answered while importing are kept here too."""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.care import Occasion
from app.ui.context import AppContext
from app.ui.dialog_parts import close_buttons, confirm, outcome_label, resize_within_screen, tell_failure
from app.ui.operations import read_operation, write_operation
from app.ui.tables import Column, RowTableModel, RowTableView, text_column
from app.ui.widgets import ErrorLabel

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.care import WordInfo

__all__ = ["WORDS", "CareWordsDialog"]

WORDS = "care_words"  # CareWord.__tablename__
_OWN = QColor("#1a5fb4")
_ORDER = {o.value: i for i, o in enumerate(Occasion)}

COLUMNS: tuple[Column[WordInfo], ...] = (
    Column("word", "写法", 130, attrgetter("word"), attrgetter("word"), hideable=False),
    Column(
        "occasion", "事由", 100, lambda w: w.occasion.value, lambda w: (_ORDER[w.occasion.value], w.variant)
    ),
    text_column("variant", "细分", 80),
    text_column("source", "来源", 70),
    Column("replaces", "程序自带的意思", 140, attrgetter("replaces"), attrgetter("replaces")),
)


class CareWordsDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.setWindowTitle("慰问事由用语")
        intro = QLabel(
            "导入慰问登记表时，“慰问事由”一列按这里的写法认读。程序自带常见的写法；本单位可以添加自己的写法，"
            "或把程序自带的写法改为别的意思（导入时说明过的写法也记在这里）。事由本身的名称（住院、结婚……）总是认得。"
        )
        intro.setWordWrap(True)
        self.model: RowTableModel[WordInfo] = RowTableModel(
            COLUMNS, row_id=attrgetter("word"), foreground=lambda w: _OWN if w.own else None
        )
        self.table = RowTableView(WORDS, self.model, default_sort=("occasion", Qt.SortOrder.AscendingOrder))
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(200)
        self.search = QLineEdit()
        self.search.setPlaceholderText("查找写法或事由")
        self.search.setClearButtonEnabled(True)
        self.own_only = QCheckBox("只看本单位的")
        self.counts = QLabel()
        self.word = QLineEdit()
        self.word.setMaxLength(40)
        self.word.setPlaceholderText("登记表中的写法，如 病号问候")
        self.occasion = QComboBox()
        for occasion in Occasion:
            self.occasion.addItem(occasion.value, occasion.value)
        self.variant = QComboBox()
        self.variant.setEditable(True)
        if line := self.variant.lineEdit():
            line.setMaxLength(20)
            line.setPlaceholderText("可不填；哪个节日、哪位亲属，住院做了手术写“手术”")
        self._suggestions: dict[str, tuple[str, ...]] = {}
        self.save_button = QPushButton("保存本单位的写法")
        self.remove_button = QPushButton("删除本单位的写法")
        self.remove_button.setToolTip("删除后按程序自带的意思认读；程序没有这种写法时，导入时会请您说明")
        self.remove_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        form = QFormLayout()
        form.addRow("写法", self.word)
        form.addRow("事由", self.occasion)
        form.addRow("细分", self.variant)
        form.addRow("", buttons)
        setting = QGroupBox("添加或修改本单位的写法")
        setting.setLayout(form)
        self.error = ErrorLabel()
        self.outcome = outcome_label()
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.own_only)
        filters.addWidget(self.counts)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(setting)
        layout.addWidget(self.error)
        layout.addWidget(self.outcome)
        layout.addWidget(close_buttons(self))
        resize_within_screen(self, 700, 660)
        self.search.textChanged.connect(lambda _t: self._refilter())
        self.own_only.toggled.connect(lambda _on: self._refilter())
        self.occasion.currentIndexChanged.connect(lambda _i: self._suggest())
        self.save_button.clicked.connect(lambda: self.save())
        self.remove_button.clicked.connect(lambda: self.remove())
        self.table.clicked.connect(lambda _index: self._fill_from_selection())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.table.rows_reset.connect(self._selected)
        self.reload()

    def reload(self, select: str | None = None) -> None:
        """Read the words again; ``select`` the one just saved."""

        def work(session: Session) -> tuple[list[WordInfo], dict[str, tuple[str, ...]]]:
            from app.services.care import list_words, variant_suggestions

            return list_words(session), variant_suggestions()

        def loaded(found: tuple[list[WordInfo], dict[str, tuple[str, ...]]]) -> None:
            words, self._suggestions = found
            self.model.set_rows(words)
            self._suggest()
            self._show_counts()
            if select is not None:
                self.table.select_id(select)

        read_operation(self, self._context, work, on_success=loaded)

    def _show_counts(self) -> None:
        own = sum(1 for w in self.model.rows if w.own)
        self.counts.setText(f"共 {self.model.total_count} 种，本单位的 {own} 种")

    def _refilter(self) -> None:
        text = self.search.text().strip()
        own_only = self.own_only.isChecked()
        tests: list[Callable[[WordInfo], bool]] = []
        if text:
            tests.append(lambda w: text in w.word or text in w.meaning)
        if own_only:
            tests.append(attrgetter("own"))
        self.model.set_predicate((lambda w: all(test(w) for test in tests)) if tests else None)

    def _suggest(self) -> None:
        """The 细分 worth offering for the occasion chosen; what was typed stays."""
        typed = self.variant.currentText()
        self.variant.clear()
        self.variant.addItems(["", *self._suggestions.get(self.occasion.currentData(), ())])
        self.variant.setCurrentText(typed)

    def _selected(self) -> None:
        row = self.table.current_row()
        self.remove_button.setEnabled(row is not None and row.own)

    def _fill_from_selection(self) -> None:
        """A word clicked fills the form: the usual way to change one is to start from it."""
        info = self.table.current_row()
        if info is None:
            return
        self.word.setText(info.word)
        self.occasion.setCurrentIndex(self.occasion.findData(info.occasion.value))
        self.variant.setCurrentText(info.variant)

    def save(self) -> None:
        self.error.show_message("")
        word, occasion, variant = self.word.text(), self.occasion.currentData(), self.variant.currentText()
        if not word.strip():
            self.error.show_message("请填写登记表中的写法")
            return
        self.save_button.setEnabled(False)

        def work(session: Session) -> WordInfo:
            from app.services.care import set_word

            return set_word(session, word, occasion, variant)

        def saved(info: WordInfo) -> None:
            self.save_button.setEnabled(True)
            instead = f"，代替程序自带的“{info.replaces}”" if info.replaces else ""
            self.outcome.setText(
                f"已保存：“{info.word}”指{info.meaning}{instead}。以后导入时按这个意思认读。"
            )
            self.reload(select=info.word)

        def failed(error: BaseException) -> None:
            self.save_button.setEnabled(True)
            tell_failure(self, self.error, error)

        write_operation(self, self._context, work, on_success=saved, on_failure=failed)

    def remove(self, ask: Callable[[str, str], bool] | None = None) -> bool:
        """Remove the selected own word once the user agrees; whether it was asked to go."""
        info = self.table.current_row()
        if info is None or not info.own:
            return False
        after = (
            f"删除后按程序自带的意思认读：指{info.replaces}。"
            if info.replaces
            else "程序没有这种写法：删除后，导入时会请您说明它的意思。"
        )
        question = f"确定删除本单位的写法“{info.word}”（指{info.meaning}）吗？\n\n{after}"
        if not (ask or (lambda title, text: confirm(self, title, text)))("删除本单位的写法", question):
            return False
        self.error.show_message("")
        word = info.word

        def work(session: Session) -> None:
            from app.services.care import remove_word

            remove_word(session, word)

        def removed(_result: None) -> None:
            self.outcome.setText(f"已删除本单位的写法“{word}”。")
            self.reload()

        write_operation(
            self,
            self._context,
            work,
            on_success=removed,
            on_failure=lambda error: tell_failure(self, self.error, error),
        )
        return True
