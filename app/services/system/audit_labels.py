"""The audit log in words a secretary reads: each table by its Chinese name (the models'
``info["label"]``), each column by the label the model gives it (``info["label"]`` or its
``comment``) or else by the glossary below, and each value as the program shows it — money
(``*_fen``) in yuan, yes/no as 是/否, nothing as （空）.

The glossary holds the columns' names as the screens and printouts call them; a column
missing from it keeps its own (English) name rather than a guessed word.
"""

from __future__ import annotations

from functools import cache

from app.domain.members import FIELD_LABELS as MEMBER_LABELS
from app.domain.money import format_fen
from app.domain.privacy import PRIVATE_FIELDS, mask_field
from app.domain.union import PROFILE_LABELS

EMPTY = "（空）"
AUDIT_TABLE = "audit_log"  # the log itself is never one of the record types it lists

# Columns with the same name and meaning in many tables.
COMMON: dict[str, str] = {
    "id": "编号",
    "name": "名称",
    "kind": "类型",
    "note": "备注",
    "remark": "备注",
    "reason": "原因",
    "status": "状态",
    "source": "来源",
    "day": "日期",
    "year": "年度",
    "month": "月份",
    "code": "编码",
    "word": "写法",
    "value": "数值",
    "actor": "操作人",
    "member_id": "会员",
    "group_id": "所在分组",
    "parent_id": "上级",
    "category_id": "科目",
    "activity_id": "活动",
    "batch_id": "集中发放",
    "file_id": "困难职工档案",
    "payment_id": "缴费记录",
    "roll_id": "应缴会费生成记录",
    "effective_from": "生效日期",
    "first_month": "起始月份",
    "last_month": "截止月份",
    "amount_fen": "金额",
    "wage_fen": "会费基数工资",
    "occasion": "事由",
    "variant": "细分",
    "cash_fen": "慰问金",
    "goods": "慰问品",
    "goods_fen": "慰问品价值",
    "funding": "经费来源",
    "approver": "审批人",
    "visitors": "慰问人",
    "over_limit": "超过的标准",
    "over_cap": "超过的标准",
    "id_number": "身份证号",
    "phone": "联系电话",
    "sort_order": "排列顺序",
    "shipped": "程序自带",
    "count": "条数",
}

# Columns whose meaning depends on the table.
# fmt: off
BY_TABLE: dict[str, dict[str, str]] = {
    "members": {**MEMBER_LABELS, "status": "会籍状态", "pinyin_full": "姓名全拼", "pinyin_initials": "拼音首字母"},
    "union_profile": dict(PROFILE_LABELS),
    "groups": {"name": "分组名称", "kind": "分组类型", "parent_id": "上级分组"},
    "membership_events": {"kind": "变动类型", "event_date": "变动日期", "status_after": "变动后会籍状态"},
    "dues_rules": {
        "rate_bp": "会费比例", "tail_fen": "尾数取整到", "apprentice_fen": "学徒工每月会费",
        "month_rule": "月份规则", "note": "依据",
    },
    "dues_rolls": {},
    "dues_charges": {"due_fen": "应缴金额", "paid_fen": "已缴金额"},
    "dues_payments": {
        "paid_on": "缴费日期", "method": "缴费方式", "receipt_no": "收据号", "collector": "收款人",
        "source_month": "来源月份",
    },
    "dues_exemptions": {"reason": "免缴原因"},
    "care_caps": {
        "per_occurrence_fen": "每次标准", "per_year_fen": "每年标准", "per_year_count": "每年次数",
        "note": "依据",
    },
    "care_batches": {
        "name": "发放名称", "day": "发放日期", "cash_fen": "每人慰问金", "goods": "每人慰问品",
        "goods_fen": "每人慰问品价值", "pay_by": "发放方式", "chosen_by": "发放对象",
    },
    "care_words": {"variant": "细分"},
    "care_records": {
        "recipient": "慰问对象", "voucher_no": "凭证号", "documents": "已存档的材料", "reason": "超标准原因",
    },
    "hardship_files": {
        "category": "困难类别", "main_cause": "主要致困原因", "secondary_causes": "次要致困原因",
        "household_size": "家庭人口", "annual_income_fen": "家庭年收入", "housing": "住房情况",
        "medical_insurance": "医疗保险", "single_parent": "单亲家庭", "zero_employment": "零就业家庭",
        "situation": "困难情况", "bank_name": "开户行", "bank_account": "银行账号", "account_holder": "户名",
        "filer": "建档人", "reviewer": "审核人", "opinion": "审核意见", "notice": "公示情况",
        "opened_on": "建档日期", "reviewed_on": "复核日期", "closed_on": "结案日期", "close_reason": "结案原因",
    },
    "hardship_relatives": {
        "name": "姓名", "relation": "与本人关系", "health": "健康状况", "annual_income_fen": "年收入",
        "occupation": "工作单位或学校",
    },
    "budget_categories": {"name": "科目名称", "code": "科目编码", "kind": "收支类别", "parent_id": "上级科目"},
    "category_words": {},
    "care_categories": {},
    "budget_lines": {"amount_fen": "预算数"},
    "other_income": {"day": "日期"},
    "activities": {
        "name": "活动名称", "start": "开始日期", "end": "结束日期", "place": "地点", "organiser": "组织者",
        "headcount": "参加人数", "reason": "超标准原因",
    },
    "activity_limits": {"rule": "规则", "kind": "活动类型", "value": "标准", "note": "依据"},
    "activity_budget_items": {
        "item": "项目", "per_head_fen": "人均", "heads": "人数", "reason": "超标准原因",
    },
    "activity_participants": {},
    "activity_expenses": {
        "day": "支出日期", "payee": "收款方", "item": "支出内容", "invoice_no": "发票号", "paid_by": "经办人",
        "reason": "超标准原因",
    },
    "app_settings": {"key": "设置项", "value": "设置值"},
    "import_mappings": {"kind": "导入的表", "signature": "表头特征", "fields_json": "列的对应关系"},
}
# fmt: on


def _tables() -> dict[str, object]:
    import app.models  # noqa: F401  - every table registered with the metadata
    from app.models.base import Base

    return dict(Base.metadata.tables)


# The record types in the order the program's pages come (a table not listed goes last).
ORDER = (
    "members", "groups", "membership_events", "dues_base_wages",
    "dues_charges", "dues_payments", "dues_payment_months", "dues_exemptions", "dues_rolls", "dues_rules",
    "care_records", "care_batches", "hardship_files", "hardship_relatives", "care_caps", "care_words",
    "care_categories",
    "activities", "activity_budget_items", "activity_participants", "activity_expenses", "activity_limits",
    "budget_lines", "budget_categories", "category_words", "other_income",
    "union_profile", "app_settings", "import_mappings",
)  # fmt: skip


@cache
def record_types() -> tuple[tuple[str, str], ...]:
    """(table, Chinese name) of every kind of record the log can hold, as the pages come."""
    found = []
    for name, table in _tables().items():
        if name != AUDIT_TABLE:
            found.append((name, str(table.info.get("label", name))))  # type: ignore[attr-defined]
    place = {name: i for i, name in enumerate(ORDER)}
    return tuple(sorted(found, key=lambda pair: (place.get(pair[0], len(ORDER)), pair[1])))


def record_label(table: str) -> str:
    """The Chinese name of ``table``; its own name when the models do not know it."""
    return dict(record_types()).get(table, table)


@cache
def _model_labels(table: str) -> dict[str, str]:
    found = _tables().get(table)
    if found is None:
        return {}
    labels = {}
    for column in found.columns:  # type: ignore[attr-defined]
        label = column.info.get("label") or column.comment
        if label:
            labels[column.key] = str(label)
    return labels


def field_label(table: str, column: str) -> str:
    """What the screens call ``column`` of ``table`` (the column's own name if nothing does)."""
    return (
        _model_labels(table).get(column)
        or BY_TABLE.get(table, {}).get(column)
        or COMMON.get(column)
        or column
    )


def is_money(column: str) -> bool:
    return column.endswith("_fen")


def value_text(column: str, value: object, *, mask: bool = False) -> str:
    """``value`` as the program shows it; ``mask`` hides the middle of ID and bank numbers."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "是" if value else "否"
    if is_money(column) and isinstance(value, int):
        return f"{format_fen(value)} 元"
    if column == "rate_bp" and isinstance(value, int):
        return f"{value / 100:g}%"
    text = value if isinstance(value, str) else str(value)
    if mask and column in PRIVATE_FIELDS:
        return mask_field(column, text)
    return text
