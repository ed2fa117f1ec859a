"""Hardship files (困难职工档案, RULES §6): one per household, linked to the member; opened,
corrected, reviewed once a year and closed when the household is out of hardship (脱困) or
leaves the file (退出). The member's 困难职工 flag follows whether a file is open, so the
roster's filter and the batch's "困难职工" choice see the same people. The aid history is the
member's care records of the hardship occasions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.care import Occasion
from app.domain.hardship import (
    CATEGORIES,
    CLOSE_REASONS,
    RELATIONS,
    ReviewState,
    cause_problems,
    monthly_income_per_head_fen,
    review_state,
)
from app.domain.idcard import IdNumberError, mask_id_number, parse_id_number
from app.domain.members import COUNTED_STATUSES
from app.domain.money import MAX_AMOUNT_FEN, format_fen
from app.domain.privacy import mask_account
from app.domain.text import clean_text, too_long
from app.models import HardshipFile, HardshipRelative, Member
from app.services.care.records import CareInfo, list_care
from app.services.errors import NotFoundError, UserError, ValidationError

# The occasions whose records are a household's aid history.
AID_OCCASIONS = (Occasion.HARDSHIP, Occasion.SCHOOL_AID, Occasion.WARMTH, Occasion.SERIOUS_ILLNESS)

LABELS = {
    "member": "困难职工", "category": "困难类别", "main_cause": "主要致困原因", "secondary_causes": "次要致困原因",
    "household_size": "家庭人口", "annual_income": "家庭年收入", "housing": "住房情况",
    "medical_insurance": "医疗保险", "situation": "困难情况", "bank_name": "开户行", "bank_account": "银行账号",
    "account_holder": "户名", "filer": "建档人", "reviewer": "审核人", "opinion": "审核意见", "notice": "公示情况",
    "opened_on": "建档日期", "note": "备注", "relatives": "家庭成员", "day": "日期", "reason": "结案原因",
}  # fmt: skip
_LIMITS = {
    "housing": 100, "medical_insurance": 100, "situation": 1000, "bank_name": 60, "bank_account": 40,
    "account_holder": 30, "filer": 30, "reviewer": 30, "opinion": 300, "notice": 200, "note": 300,
}  # fmt: skip
_RELATIVE_LIMITS = {"name": 30, "relation": 10, "health": 20, "occupation": 60}
_RELATIVE_LABELS = {
    "name": "姓名",
    "relation": "与本人关系",
    "health": "健康状况",
    "occupation": "工作单位或学校",
}


@dataclass(frozen=True)
class Relative:
    """A member of the household other than the worker."""

    name: str
    relation: str
    id_number: str = ""
    health: str = ""
    annual_income_fen: int = 0
    occupation: str = ""  # 工作单位或就读学校


@dataclass(frozen=True)
class HardshipInput:
    member_id: int
    category: str
    main_cause: str
    opened_on: date
    secondary_causes: tuple[str, ...] = ()
    household_size: int = 0  # 0: the worker and the relatives listed
    annual_income_fen: int = 0
    housing: str = ""
    medical_insurance: str = ""
    single_parent: bool = False
    zero_employment: bool = False
    situation: str = ""
    bank_name: str = ""
    bank_account: str = ""
    account_holder: str = ""
    filer: str = ""
    reviewer: str = ""
    opinion: str = ""
    notice: str = ""
    note: str = ""
    relatives: tuple[Relative, ...] = ()


def _relative_columns(index: int, person: Relative, problems: dict[str, str]) -> dict[str, object]:
    values = {key: clean_text(getattr(person, key)) for key in _RELATIVE_LIMITS}
    where = f"第 {index} 位家庭成员"
    for key, limit in _RELATIVE_LIMITS.items():
        message = too_long(_RELATIVE_LABELS[key], values[key], limit)
        if message:
            problems.setdefault("relatives", f"{where}：{message}")
    if not values["name"]:
        problems.setdefault("relatives", f"{where}：请填写姓名")
    if values["relation"] and values["relation"] not in RELATIONS:
        problems.setdefault("relatives", f"{where}：与本人关系应是{'、'.join(RELATIONS)}之一")
    number = clean_text(person.id_number)
    if number:
        try:
            number = parse_id_number(number).number
        except IdNumberError as exc:
            problems.setdefault("relatives", f"{where}（{values['name']}）的身份证号：{exc}")
    if not 0 <= person.annual_income_fen <= MAX_AMOUNT_FEN:
        problems.setdefault("relatives", f"{where}：年收入超出范围")
    return {**values, "id_number": number, "annual_income_fen": person.annual_income_fen}


def _columns(
    session: Session, data: HardshipInput, *, today: date | None
) -> tuple[dict[str, object], list[dict[str, object]]]:
    """The stored values of ``data`` and of its relatives, once every check passes (else ValidationError)."""
    values = {key: clean_text(getattr(data, key)) for key in _LIMITS}
    problems = {
        key: msg for key, limit in _LIMITS.items() if (msg := too_long(LABELS[key], values[key], limit))
    }
    member = session.get(Member, data.member_id)
    if member is None:
        problems["member"] = "请选择困难职工本人（会员）"
    if data.category not in CATEGORIES:
        problems["category"] = f"困难类别应是{'、'.join(CATEGORIES)}之一"
    secondary = tuple(c for c in (clean_text(c) for c in data.secondary_causes) if c)
    for message in cause_problems(data.main_cause, secondary):
        problems.setdefault("secondary_causes" if "次要" in message else "main_cause", message)
    relatives = [_relative_columns(n, p, problems) for n, p in enumerate(data.relatives, start=1)]
    size = data.household_size or 1 + len(relatives)
    if size < 1 + len(relatives):
        problems["household_size"] = f"家庭人口不能少于本人加上所列家庭成员（{1 + len(relatives)} 人）"
    if not 0 <= data.annual_income_fen <= MAX_AMOUNT_FEN:
        problems["annual_income"] = "家庭年收入超出范围"
    elif (listed := sum(p.annual_income_fen for p in data.relatives)) > data.annual_income_fen:
        # the household's income is everyone's, the worker's too: the per-head figure the
        # 困难 standard is judged on would otherwise come out too low
        problems["annual_income"] = (
            f"家庭年收入（{format_fen(data.annual_income_fen)} 元）少于所列家庭成员的年收入之和"
            f"（{format_fen(listed)} 元）：家庭年收入应包括本人和每位家庭成员的收入"
        )
    if data.opened_on > (today or date.today()):
        problems["opened_on"] = "建档日期不能晚于今天"
    account = "".join(values["bank_account"].split())
    if account and not account.isdigit():
        problems["bank_account"] = "银行账号应全部是数字"
    if problems:
        raise ValidationError(problems, LABELS)
    columns: dict[str, object] = {
        **values, "bank_account": account, "member_id": data.member_id, "category": data.category,
        "main_cause": data.main_cause, "secondary_causes": "、".join(secondary), "household_size": size,
        "annual_income_fen": data.annual_income_fen, "single_parent": data.single_parent,
        "zero_employment": data.zero_employment, "opened_on": data.opened_on,
    }  # fmt: skip
    return columns, relatives


def _file(session: Session, file_id: int) -> HardshipFile:
    row = session.get(HardshipFile, file_id)
    if row is None:
        raise NotFoundError(f"没有编号为 {file_id} 的困难职工档案")
    return row


def _sync_flag(session: Session, member_id: int) -> None:
    """The member is a 困难职工 exactly while one of their files is open."""
    member = session.get(Member, member_id)
    if member is None:
        return
    open_file = session.scalar(
        select(HardshipFile.id).where(HardshipFile.member_id == member_id, HardshipFile.closed_on.is_(None))
    )
    if member.is_hardship != (open_file is not None):
        member.is_hardship = open_file is not None


def open_file(session: Session, data: HardshipInput, *, today: date | None = None) -> int:
    """Open a household's file; refused while the member already has an open one."""
    columns, relatives = _columns(session, data, today=today)
    already = session.scalar(
        select(HardshipFile.id).where(
            HardshipFile.member_id == data.member_id, HardshipFile.closed_on.is_(None)
        )
    )
    if already is not None:
        raise UserError(f"这名会员已有未结案的困难职工档案（编号 {already}），请在原档案上修改或复核")
    member = session.get(Member, data.member_id)
    if member is not None and member.status not in COUNTED_STATUSES:
        raise UserError(
            f"{member.name}的会籍状态是“{member.status}”，已不在册：困难职工档案只为在册会员（在会或保留会籍）建立"
        )
    row = HardshipFile(**columns, relatives=[HardshipRelative(**r) for r in relatives])
    session.add(row)
    session.flush()
    _sync_flag(session, data.member_id)
    session.flush()
    return row.id


def update_file(session: Session, file_id: int, data: HardshipInput, *, today: date | None = None) -> None:
    """Correct a file (household, income, causes, bank details…); the relatives are replaced by ``data``'s."""
    row = _file(session, file_id)
    if data.member_id != row.member_id:
        raise UserError("档案不能改到另一名会员名下：请为那名会员另建档案")
    columns, relatives = _columns(session, data, today=today)
    if row.reviewed_on is not None and data.opened_on > row.reviewed_on:
        raise ValidationError({"opened_on": "建档日期不能晚于最近一次复核"}, LABELS)
    for key, value in columns.items():
        setattr(row, key, value)
    row.relatives = [HardshipRelative(**r) for r in relatives]
    session.flush()


def review_file(
    session: Session, file_id: int, day: date, reviewer: str, opinion: str = "", *, today: date | None = None
) -> None:
    """The yearly review (年度复核): who reviewed, when, with what opinion; the next one falls due a year on."""
    row = _file(session, file_id)
    if row.closed_on is not None:
        raise UserError("这份档案已结案，不需要复核")
    who, said = clean_text(reviewer), clean_text(opinion)
    problems: dict[str, str] = {}
    if not who:
        problems["reviewer"] = "请填写复核人"
    for key, text in (("reviewer", who), ("opinion", said)):
        message = too_long(LABELS[key], text, _LIMITS[key])
        if message:
            problems[key] = message
    if day < row.opened_on or day > (today or date.today()):
        problems["day"] = "复核日期应在建档日期之后、今天或以前"
    if problems:
        raise ValidationError(problems, LABELS)
    row.reviewed_on, row.reviewer = day, who
    if said:
        row.opinion = said
    session.flush()


def close_file(
    session: Session, file_id: int, day: date, reason: str, note: str = "", *, today: date | None = None
) -> None:
    """Close a file: 脱困 (out of hardship) or 退出; the member stops being a 困难职工 — from
    the day it happened, not one still to come."""
    row = _file(session, file_id)
    if row.closed_on is not None:
        raise UserError(f"这份档案已于 {row.closed_on.isoformat()} 结案")
    if reason not in CLOSE_REASONS:
        raise ValidationError({"reason": f"结案原因应是{'或'.join(CLOSE_REASONS)}"}, LABELS)
    if day < row.opened_on:
        raise ValidationError({"day": "结案日期不能早于建档日期"}, LABELS)
    if day > (today or date.today()):
        raise ValidationError({"day": "结案日期不能晚于今天"}, LABELS)
    row.closed_on, row.close_reason = day, reason
    text = clean_text(note)
    if text:
        row.note = (f"{row.note}；{text}" if row.note else text)[: _LIMITS["note"]]
    session.flush()
    _sync_flag(session, row.member_id)
    session.flush()


def reopen_file(session: Session, file_id: int) -> None:
    """Undo a close entered by mistake."""
    row = _file(session, file_id)
    if row.closed_on is None:
        raise UserError("这份档案没有结案")
    already = session.scalar(
        select(HardshipFile.id).where(
            HardshipFile.member_id == row.member_id,
            HardshipFile.closed_on.is_(None),
            HardshipFile.id != file_id,
        )
    )
    if already is not None:
        raise UserError(f"这名会员已有未结案的档案（编号 {already}）")
    row.closed_on, row.close_reason = None, ""
    session.flush()
    _sync_flag(session, row.member_id)
    session.flush()


@dataclass(frozen=True)
class HardshipRow:
    """A file as lists show it: the bank account masked."""

    id: int
    member_id: int
    name: str
    id_number: str  # masked
    group: str
    category: str
    main_cause: str
    household_size: int
    annual_income_fen: int
    per_head_monthly_fen: int
    single_parent: bool
    zero_employment: bool
    bank_account: str  # masked
    opened_on: date
    reviewed_on: date | None
    review_due: date | None  # None once closed
    closed_on: date | None
    close_reason: str
    aid_count: int
    aid_fen: int

    @property
    def status(self) -> str:
        return f"已结案（{self.close_reason}）" if self.closed_on else "在档"


@dataclass(frozen=True)
class HardshipInfo:
    """A whole file, to show, edit and print: every detail unmasked, with its aid history."""

    row: HardshipRow
    data: HardshipInput
    id_number: str  # the worker's, unmasked
    gender: str
    birth_date: date
    phone: str
    aid: list[CareInfo] = field(default_factory=list)


def _aid_totals(session: Session, member_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    from sqlalchemy import func

    from app.models import CareRecord

    totals: dict[int, tuple[int, int]] = {}
    ids = sorted(set(member_ids))
    for start in range(0, len(ids), 5000):
        query = (
            select(CareRecord.member_id, func.count(), func.sum(CareRecord.cash_fen + CareRecord.goods_fen))
            .where(
                CareRecord.member_id.in_(ids[start : start + 5000]),
                CareRecord.occasion.in_([o.value for o in AID_OCCASIONS]),
            )
            .group_by(CareRecord.member_id)
        )
        totals.update((int(m or 0), (int(n), int(s or 0))) for m, n, s in session.execute(query))
    return totals


def _rows(session: Session, files: Sequence[HardshipFile]) -> list[HardshipRow]:
    from app.services.roster import list_groups

    paths = {g.id: g.path for g in list_groups(session)}
    members = {
        m.id: m for m in session.scalars(select(Member).where(Member.id.in_({f.member_id for f in files})))
    }
    aid = _aid_totals(session, [f.member_id for f in files])
    rows = []
    for f in files:
        member = members[f.member_id]
        due: ReviewState | None = None if f.closed_on else review_state(f.opened_on, f.reviewed_on)
        count, total = aid.get(f.member_id, (0, 0))
        rows.append(
            HardshipRow(
                f.id, f.member_id, member.name, mask_id_number(member.id_number or ""),
                paths.get(member.group_id or 0, ""), f.category, f.main_cause, f.household_size,
                f.annual_income_fen, monthly_income_per_head_fen(f.annual_income_fen, f.household_size),
                f.single_parent, f.zero_employment, mask_account(f.bank_account), f.opened_on, f.reviewed_on,
                due.due if due else None, f.closed_on, f.close_reason, count, total,
            )
        )  # fmt: skip
    return rows


def list_files(session: Session, *, status: str = "在档") -> list[HardshipRow]:
    """Files by name: 在档 (open), 已结案 (closed) or 全部."""
    query = select(HardshipFile)
    if status == "在档":
        query = query.where(HardshipFile.closed_on.is_(None))
    elif status == "已结案":
        query = query.where(HardshipFile.closed_on.is_not(None))
    files = list(session.scalars(query.order_by(HardshipFile.opened_on, HardshipFile.id)))
    return _rows(session, files)


def unfiled_members(session: Session) -> list[tuple[int, str, int | None]]:
    """(id, name, group id) of the members on the roll marked 困难职工 without an open file, by
    id: the 首页 counts the mark and 帮扶 the files, which differ by these until each has a
    file or the mark goes."""
    from app.domain.members import COUNTED_STATUSES

    open_files = select(HardshipFile.member_id).where(HardshipFile.closed_on.is_(None))
    query = (
        select(Member.id, Member.name, Member.group_id)
        .where(Member.is_hardship.is_(True), Member.status.in_([s.value for s in COUNTED_STATUSES]),
               Member.id.not_in(open_files))
        .order_by(Member.id)
    )  # fmt: skip
    return [(member_id, name, group_id) for member_id, name, group_id in session.execute(query)]


def reviews_due(session: Session, today: date | None = None, *, within_days: int = 30) -> list[HardshipRow]:
    """Open files whose yearly review is overdue or falls due within ``within_days``, the oldest first."""
    today = today or date.today()
    due = [
        r
        for r in list_files(session)
        if r.review_due is not None and (r.review_due - today).days <= within_days
    ]
    return sorted(due, key=lambda r: (r.review_due or today, r.id))


def get_file(session: Session, file_id: int) -> HardshipInfo:
    f = _file(session, file_id)
    member = session.get(Member, f.member_id)
    assert member is not None  # a foreign key
    relatives = tuple(
        Relative(r.name, r.relation, r.id_number, r.health, r.annual_income_fen, r.occupation)
        for r in f.relatives
    )
    data = HardshipInput(
        member_id=f.member_id, category=f.category, main_cause=f.main_cause, opened_on=f.opened_on,
        secondary_causes=tuple(c for c in f.secondary_causes.split("、") if c), household_size=f.household_size,
        annual_income_fen=f.annual_income_fen, housing=f.housing, medical_insurance=f.medical_insurance,
        single_parent=f.single_parent, zero_employment=f.zero_employment, situation=f.situation,
        bank_name=f.bank_name, bank_account=f.bank_account, account_holder=f.account_holder, filer=f.filer,
        reviewer=f.reviewer, opinion=f.opinion, notice=f.notice, note=f.note, relatives=relatives,
    )  # fmt: skip
    aid = [
        r for r in list_care(session, member_id=f.member_id) if r.occasion in {o.value for o in AID_OCCASIONS}
    ]
    return HardshipInfo(
        _rows(session, [f])[0],
        data,
        member.id_number or "",
        member.gender,
        member.birth_date,
        member.phone,
        aid,
    )
