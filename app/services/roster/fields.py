"""The roster's columns as real files name them, and the vocabulary their cells use.

Shared by import (which headers mean which field), export and the template (which header
UnionDesk writes), so that a file UnionDesk wrote always reads back unchanged.
"""

from __future__ import annotations

from app.domain.members import Category, is_plain_name
from app.domain.text import first_control
from app.services.excel.table import FieldSpec
from app.services.excel.values import CellError, text

ROSTER_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("seq", "序号", ("编号", "no", "行号")),
    FieldSpec("name", "姓名", ("职工姓名", "会员姓名", "名字", "员工姓名"), required=True),
    FieldSpec("gender", "性别"),
    FieldSpec("ethnicity", "民族"),
    FieldSpec("birth_date", "出生日期", ("出生年月", "出生年月日", "生日", "出生时间")),
    FieldSpec("id_type", "证件类型"),
    FieldSpec(
        "id_number",
        "身份证号",
        ("身份证号码", "公民身份号码", "证件号码", "身份证", "证件号", "身份证件号码"),
    ),
    FieldSpec("political_status", "政治面貌"),
    FieldSpec("education", "学历", ("文化程度", "最高学历")),
    FieldSpec("household_type", "户籍类型", ("户口性质", "户籍性质", "户籍")),
    FieldSpec(
        "group", "分组", ("所在分组", "部门", "科室", "所在部门", "单位", "所在单位", "车间", "部门科室")
    ),
    FieldSpec("union_group", "工会小组", ("小组", "所在小组", "工会分会", "分会")),
    FieldSpec("position", "职务/岗位", ("职务", "岗位", "职务岗位", "职位", "工种")),
    FieldSpec("category", "人员类别", ("用工性质", "用工形式", "人员身份", "职工类别", "用工类别")),
    FieldSpec("is_migrant_worker", "是否农民工", ("农民工",)),
    FieldSpec("joined_on", "入会时间", ("入会日期", "参加工会时间", "入会年月", "加入工会时间")),
    FieldSpec("card_number", "会员证号", ("会员证编号", "会员编号", "会员卡号")),
    FieldSpec("phone", "联系电话", ("手机", "手机号码", "电话", "联系方式", "手机号", "电话号码")),
    FieldSpec("model_worker_level", "劳模类型", ("劳模", "劳模级别", "劳模称号")),
    FieldSpec("is_hardship", "是否困难职工", ("困难职工", "困难职工建档")),
    FieldSpec(
        "wage",
        "月工资",
        ("工资基数", "会费基数", "会费基数工资", "月工资收入", "工资", "缴费基数", "基本工资"),
    ),
    FieldSpec("remark", "备注", ("说明",)),
    # recognised so they are not reported as unknown, never imported
    FieldSpec("status", "会籍状态"),
    FieldSpec("age", "年龄"),
    FieldSpec("error_reason", "错误原因"),
)
IGNORED_FIELDS = frozenset({"seq", "status", "age", "error_reason"})
FIELD_LABEL = {spec.key: spec.label for spec in ROSTER_FIELDS}

_CATEGORY_WORDS = {
    Category.ON_POST: ("在岗", "在职", "正式", "正式工", "合同制", "合同工", "职工", "在编"),
    Category.DISPATCHED: ("劳务派遣", "派遣", "劳派", "派遣工", "劳务派遣工"),
    Category.MIGRANT: ("农民工", "农民合同制"),
    Category.INTERNAL_RETIRED: ("内退", "内部退养", "内退人员"),
    Category.SICK_LEAVE: ("病休", "长病假", "病假"),
    Category.APPRENTICE: ("学徒", "学徒工", "艺徒"),
    Category.RETIRED_RETAINED: ("退休保留会籍", "退休", "离退休", "退休人员"),
}
_CATEGORY = {word: category.value for category, words in _CATEGORY_WORDS.items() for word in words}

_EDUCATION = {
    "博士": "博士研究生", "博士研究生": "博士研究生",
    "硕士": "硕士研究生", "硕士研究生": "硕士研究生", "研究生": "硕士研究生",
    "本科": "大学本科", "大学本科": "大学本科", "大学": "大学本科",
    "大专": "大学专科", "专科": "大学专科", "大学专科": "大学专科",
    "中专": "中专/技校", "技校": "中专/技校", "职高": "中专/技校", "中技": "中专/技校", "中专/技校": "中专/技校",
    "高中": "高中",
    "初中": "初中及以下", "小学": "初中及以下", "初中及以下": "初中及以下",
}  # fmt: skip

_POLITICAL = {
    "党员": "中共党员", "中共党员": "中共党员", "共产党员": "中共党员",
    "预备党员": "中共预备党员", "中共预备党员": "中共预备党员",
    "团员": "共青团员", "共青团员": "共青团员",
    "群众": "群众", "无党派人士": "无党派人士", "无党派": "无党派人士",
}  # fmt: skip
_DEMOCRATIC_PARTIES = ("民革", "民盟", "民建", "民进", "农工", "致公", "九三", "台盟", "民主党派")

_MODEL_WORKER = {
    "全国": "全国", "全国劳模": "全国", "全国劳动模范": "全国", "全国先进工作者": "全国",
    "省部级": "省部级", "省级": "省部级", "省劳模": "省部级", "省部级劳模": "省部级",
    "地市级": "地市级", "市级": "地市级", "市劳模": "地市级", "地市级劳模": "地市级",
    "其他": "其他", "是": "其他", "县级": "其他", "区级": "其他",
}  # fmt: skip


def read_category(value: object) -> str:
    raw = text(value).replace(" ", "")
    if not raw:
        return ""
    if raw in _CATEGORY:
        return _CATEGORY[raw]
    raise CellError(f"人员类别“{raw}”无法识别，应为：{'、'.join(c.value for c in Category)}")


def read_education(value: object) -> str:
    raw = text(value).replace(" ", "")
    return _EDUCATION.get(raw, raw)


def read_political(value: object) -> str:
    raw = text(value).replace(" ", "")
    if raw in _POLITICAL:
        return _POLITICAL[raw]
    if any(raw.startswith(p) for p in _DEMOCRATIC_PARTIES):
        return "民主党派"
    return raw


def read_model_worker(value: object) -> str:
    raw = text(value).replace(" ", "")
    if raw in ("", "否", "无"):
        return ""
    if raw in _MODEL_WORKER:
        return _MODEL_WORKER[raw]
    raise CellError(f"劳模类型“{raw}”应为：全国、省部级、地市级、其他，或留空")


def read_name(value: object) -> str:
    """Names padded for alignment ("王　伟") lose their inner spaces; "·" between parts stays.
    A name holding a control character is returned as it is, for the name check to refuse."""
    if isinstance(value, str):
        if is_plain_name(value):
            return value
        if first_control(value) is not None:
            return value
    return "".join(text(value).split())
