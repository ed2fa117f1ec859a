"""新增 / 编辑会员: every field checked, each message beside its field.

Typing a valid ID number fills in birth date and gender, so the secretary does not
type them twice; a contradiction between them is shown on the field that disagrees.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.idcard import IdNumberError, parse_id_number
from app.domain.members import (
    EDUCATIONS,
    FIELD_LABELS,
    HOUSEHOLD_TYPES,
    POLITICAL_STATUSES,
    Category,
    IdType,
    MemberInput,
    ModelWorkerLevel,
    validate_member,
)
from app.domain.money import MoneyError, format_fen, wage_to_fen
from app.domain.union import GroupInfo
from app.services.errors import ValidationError
from app.ui.context import AppContext
from app.ui.date_fields import OptionalDateEdit
from app.ui.operations import show_error, write_operation
from app.ui.widgets import (
    ErrorLabel,
    add_group_items,
    combo,
    combo_value,
    save_cancel_buttons,
    set_combo_value,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.roster.members import MemberDetail

_NO_GROUP = "（未分组）"


class MemberDialog(QDialog):
    saved = Signal(int)  # the member id

    def __init__(
        self,
        context: AppContext,
        groups: list[GroupInfo],
        parent: QWidget | None = None,
        detail: MemberDetail | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._member_id = detail.id if detail else None
        self.setWindowTitle(f"编辑会员：{detail.data.name}" if detail else "新增会员")
        self.setModal(True)
        self.errors: dict[str, ErrorLabel] = {}
        self._build(groups)
        if detail is not None:
            self._fill(detail.data)

    # -- layout -----------------------------------------------------------------
    def _build(self, groups: list[GroupInfo]) -> None:
        self.name = QLineEdit()
        self.name.setPlaceholderText("如：张伟")
        self.id_type = combo([t.value for t in IdType])
        self.id_number = QLineEdit()
        self.id_number.setPlaceholderText("18 位身份证号，可直接粘贴")
        self.id_number.setMaxLength(40)
        self.id_hint = QLabel()
        self.id_hint.setStyleSheet("color: #2e7d32;")
        self.id_hint.hide()
        id_box = QWidget()
        id_layout = QVBoxLayout(id_box)
        id_layout.setContentsMargins(0, 0, 0, 0)
        id_layout.setSpacing(0)
        id_layout.addWidget(self.id_number)
        id_layout.addWidget(self.id_hint)
        self.gender = combo(["男", "女"], blank="请选择")
        self.birth_date = OptionalDateEdit()
        self.ethnicity = QLineEdit("汉族")
        self.political_status = combo(POLITICAL_STATUSES, blank="")
        self.education = combo(EDUCATIONS, blank="")
        self.household_type = combo(HOUSEHOLD_TYPES, blank="")
        self.group = QComboBox()
        self.group.addItem(_NO_GROUP, None)
        add_group_items(self.group, groups)
        self.position = QLineEdit()
        self.category = combo([c.value for c in Category])
        self.is_migrant_worker = QCheckBox("是农民工")
        self.joined_on = OptionalDateEdit()
        self.card_number = QLineEdit()
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("手机或带区号的固定电话")
        self.model_worker_level = combo([m.value for m in ModelWorkerLevel if m.value], blank="否")
        self.is_hardship = QCheckBox("已建立困难职工档案")
        self.female_age = QComboBox()
        self.female_age.addItem("未指定（按 55 岁）", None)
        self.female_age.addItem("55 岁（管理岗位）", 55)
        self.female_age.addItem("50 岁（工人岗位）", 50)
        self.female_age.setToolTip("只对女职工有效：决定延迟退休前的原法定退休年龄，无法从身份证号看出")
        self.wage = QLineEdit()
        self.wage.setPlaceholderText("元，如 5380.00")
        self.remark = QPlainTextEdit()
        self.remark.setFixedHeight(48)

        left = [
            ("name", "姓名 *", self.name),
            ("id_type", "证件类型", self.id_type),
            ("id_number", "证件号码 *", id_box),
            ("gender", "性别 *", self.gender),
            ("birth_date", "出生日期 *", self.birth_date),
            ("ethnicity", "民族", self.ethnicity),
            ("political_status", "政治面貌", self.political_status),
            ("education", "学历", self.education),
            ("household_type", "户籍类型", self.household_type),
            ("female_original_retirement_age", "原法定退休年龄", self.female_age),
        ]
        right = [
            ("group_id", "所在分组", self.group),
            ("position", "职务/岗位", self.position),
            ("category", "人员类别", self.category),
            ("is_migrant_worker", "农民工", self.is_migrant_worker),
            ("joined_on", "入会时间", self.joined_on),
            ("card_number", "会员证号", self.card_number),
            ("phone", "联系电话", self.phone),
            ("model_worker_level", "劳模", self.model_worker_level),
            ("is_hardship", "困难职工", self.is_hardship),
            ("dues_wage_fen", "会费基数工资", self.wage),
        ]
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        for column, fields in ((0, left), (2, right)):
            row = 0
            for key, label, widget in fields:
                caption = QLabel(label)
                caption.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                grid.addWidget(caption, row, column)
                grid.addWidget(widget, row, column + 1)
                error = ErrorLabel()
                self.errors[key] = error
                grid.addWidget(error, row + 1, column + 1)
                row += 2
        grid.setColumnMinimumWidth(1, 280)
        grid.setColumnMinimumWidth(3, 280)
        remark_label = QLabel("备注")
        remark_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        grid.addWidget(remark_label, 20, 0)
        grid.addWidget(self.remark, 20, 1, 1, 3)
        self.errors["remark"] = ErrorLabel()
        grid.addWidget(self.errors["remark"], 21, 1, 1, 3)

        self.general_error = ErrorLabel()
        buttons = save_cancel_buttons(self.save, self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        layout = QVBoxLayout(self)
        note = QLabel("带 * 的为必填项。填入身份证号后，出生日期和性别会自动填写。")
        note.setStyleSheet("color: #555;")
        layout.addWidget(note)
        layout.addLayout(grid)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)

        self.id_number.textChanged.connect(self._id_changed)
        self.category.currentIndexChanged.connect(self._category_changed)

    # -- behaviour ----------------------------------------------------------------
    def _id_changed(self, text: str) -> None:
        self.id_hint.clear()
        self.id_hint.hide()
        if combo_value(self.id_type) != IdType.RESIDENT or len(text.strip()) < 15:
            return
        try:
            info = parse_id_number(text)
        except IdNumberError as exc:
            self.errors["id_number"].show_message(str(exc))
            return
        self.errors["id_number"].show_message("")
        self.birth_date.set_value(info.birth_date)
        set_combo_value(self.gender, info.gender)
        converted = "（已由 15 位转为 18 位）" if info.converted_from_15 else ""
        self.id_hint.setText(f"已读出：{info.birth_date.isoformat()}，{info.gender}{converted}")
        self.id_hint.show()

    def _category_changed(self) -> None:
        if combo_value(self.category) == Category.MIGRANT:
            self.is_migrant_worker.setChecked(True)

    def collect(self) -> MemberInput:
        data = MemberInput(
            name=self.name.text(),
            id_type=combo_value(self.id_type),
            id_number=self.id_number.text(),
            gender=combo_value(self.gender),
            birth_date=self.birth_date.value(),
            ethnicity=self.ethnicity.text(),
            political_status=combo_value(self.political_status),
            education=combo_value(self.education),
            household_type=combo_value(self.household_type),
            group_id=self.group.currentData(),
            position=self.position.text(),
            category=combo_value(self.category),
            is_migrant_worker=self.is_migrant_worker.isChecked(),
            joined_on=self.joined_on.value(),
            card_number=self.card_number.text(),
            phone=self.phone.text(),
            model_worker_level=combo_value(self.model_worker_level),
            is_hardship=self.is_hardship.isChecked(),
            female_original_retirement_age=self.female_age.currentData(),
            remark=self.remark.toPlainText(),
        )
        if self.wage.text().strip():
            try:
                data.dues_wage_fen = wage_to_fen(self.wage.text(), "会费基数工资")
            except MoneyError as exc:
                data.extra_errors["dues_wage_fen"] = str(exc)
        return data

    def show_errors(self, errors: dict[str, str]) -> None:
        for key, label in self.errors.items():
            label.show_message(errors.get(key, ""))
        unplaced = [f"{FIELD_LABELS.get(k, k)}：{v}" for k, v in errors.items() if k not in self.errors]
        self.general_error.show_message("\n".join(unplaced))
        first = next((k for k in self.errors if k in errors), None)
        widget = getattr(self, first, None) if first else None
        if isinstance(widget, QWidget):
            widget.setFocus()
        self.adjustSize()  # room for the messages just shown

    def save(self) -> None:
        data = self.collect()
        # Check here first for instant messages; the service checks again, with the database.
        errors = validate_member(data, date.today())
        self.show_errors(errors)
        if errors:
            return
        self.save_button.setEnabled(False)
        member_id = self._member_id

        def work(session: Session) -> int:
            from app.services.roster.members import create_member, update_member

            if member_id is None:
                return create_member(session, data)
            update_member(session, member_id, data)
            return member_id

        write_operation(self, self._context, work, on_success=self._saved, on_failure=self._failed)

    def _saved(self, member_id: int) -> None:
        self.saved.emit(member_id)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, ValidationError):
            self.show_errors(error.errors)
        else:
            show_error(self, error)

    # -- editing an existing member --------------------------------------------------
    def _fill(self, data: MemberInput) -> None:
        self.name.setText(data.name)
        set_combo_value(self.id_type, data.id_type)
        self.id_number.setText(data.id_number)
        set_combo_value(self.gender, data.gender)
        self.birth_date.set_value(data.birth_date)
        self.ethnicity.setText(data.ethnicity)
        set_combo_value(self.political_status, data.political_status)
        set_combo_value(self.education, data.education)
        set_combo_value(self.household_type, data.household_type)
        set_combo_value(self.group, data.group_id)
        self.position.setText(data.position)
        set_combo_value(self.category, data.category)
        self.is_migrant_worker.setChecked(data.is_migrant_worker)
        self.joined_on.set_value(data.joined_on)
        self.card_number.setText(data.card_number)
        self.phone.setText(data.phone)
        set_combo_value(self.model_worker_level, data.model_worker_level)
        self.is_hardship.setChecked(data.is_hardship)
        set_combo_value(self.female_age, data.female_original_retirement_age)
        if data.dues_wage_fen is not None:
            self.wage.setText(format_fen(data.dues_wage_fen, thousands=False))
        self.remark.setPlainText(data.remark)
        self.id_hint.hide()
