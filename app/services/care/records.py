"""Care records (慰问记录): checked against the caps as they are entered; over a cap only
with a written reason, and flagged from then on; a shopping card or voucher refused."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.domain.care import FUNDING, IMPORTED_REASON, CareItem, Finding, Occasion, check_care
from app.domain.members import MemberStatus, not_a_member_on
from app.domain.money import MAX_AMOUNT_FEN, format_fen
from app.domain.text import clean_text, too_long
from app.domain.yearmonth import YearMonth
from app.models import CareRecord, Member
from app.services.care.policy import load_policy
from app.services.errors import NotFoundError, UserError, ValidationError

LABELS = {
    "recipient": "慰问对象", "day": "日期", "amount": "金额", "reason": "超标准原因", "funding": "经费来源",
    "goods": "慰问品", "visitors": "慰问人", "approver": "审批人", "voucher_no": "凭证号", "note": "备注",
}  # fmt: skip
_LIMITS = {
    "recipient": 50,
    "goods": 200,
    "visitors": 100,
    "approver": 30,
    "voucher_no": 30,
    "note": 200,
    "reason": 200,
}


@dataclass(frozen=True)
class CareInput:
    occasion: Occasion
    day: date
    member_id: int | None = None
    recipient: str = ""  # who, when not a member (a deceased member's family); else the member's name
    variant: str = ""
    cash_fen: int = 0
    goods: str = ""
    goods_fen: int = 0
    funding: str = FUNDING[0]
    visitors: str = ""
    approver: str = ""
    voucher_no: str = ""
    documents: tuple[str, ...] = ()
    note: str = ""
    reason: str = ""  # required when over a cap


@dataclass(frozen=True)
class CareCheck:
    findings: list[Finding]
    warnings: list[str] = field(default_factory=list)  # shown, never blocking (dues arrears)

    @property
    def refused(self) -> list[Finding]:
        return [f for f in self.findings if f.refused]

    @property
    def over(self) -> str:
        """The caps exceeded, in words, as the record keeps them."""
        return "；".join(f.message for f in self.findings if not f.refused)


def _item(data: CareInput) -> CareItem:
    return CareItem(data.occasion, data.day, data.cash_fen, data.goods_fen, data.goods, data.variant)


def dues_warning(owed_fen: int) -> str:
    """What a care record says of a recipient behind on dues ("" when not behind)."""
    # 皖工发〔2025〕18号: care is for members who pay their dues
    return f"这名会员欠缴会费 {format_fen(owed_fen)} 元，请核实后再发放" if owed_fen > 0 else ""


def membership_warning(gap: tuple[str, str] | None, occasion: Occasion, day: date) -> str:
    """What a care record says of a recipient not a member on its day ("" when they were,
    or when it is the member's own 去世 慰问, given after the death)."""
    if gap is None or (gap[0] == MemberStatus.DECEASED and occasion is Occasion.MEMBER_DEATH):
        return ""
    return f"这名会员{gap[1]}，{day.isoformat()} 不是本会会员：请核对慰问对象和日期"


def check_record(session: Session, data: CareInput, *, editing: int | None = None) -> CareCheck:
    """What the rules say of ``data`` now, with the member's other records of the year
    (without record ``editing``, which ``data`` would replace)."""
    earlier: list[CareItem] = []
    warnings: list[str] = []
    if data.member_id is not None:
        query = select(CareRecord).where(
            CareRecord.member_id == data.member_id,
            CareRecord.day >= date(data.day.year, 1, 1),
            CareRecord.day <= date(data.day.year, 12, 31),
        )
        if editing is not None:
            query = query.where(CareRecord.id != editing)
        earlier = [
            CareItem(Occasion(r.occasion), r.day, r.cash_fen, r.goods_fen, r.goods, r.variant)
            for r in session.scalars(query)
        ]
        from app.services.dues import owed_before
        from app.services.roster import membership_histories

        history = membership_histories(session, [data.member_id]).get(data.member_id, [])
        for warning in (
            membership_warning(not_a_member_on(history, data.day), data.occasion, data.day),
            dues_warning(owed_before(session, data.member_id, YearMonth.of(data.day))),
        ):
            if warning:
                warnings.append(warning)
    return CareCheck(check_care(_item(data), earlier, load_policy(session)), warnings)


def _clean(data: CareInput) -> dict[str, str]:
    values = {key: clean_text(getattr(data, key)) for key in _LIMITS}
    problems = {
        key: message for key in _LIMITS if (message := too_long(LABELS[key], values[key], _LIMITS[key]))
    }
    if data.funding not in FUNDING:
        problems["funding"] = f"经费来源应是{'、'.join(FUNDING)}之一"
    if max(data.cash_fen, data.goods_fen) > MAX_AMOUNT_FEN or min(data.cash_fen, data.goods_fen) < 0:
        problems["amount"] = "金额超出范围"
    if problems:
        raise ValidationError(problems, LABELS)
    return values


def _columns(
    session: Session, data: CareInput, *, today: date | None, editing: int | None = None
) -> dict[str, object]:
    """The stored values of ``data``, once it passes every check (else UserError/ValidationError)."""
    values = _clean(data)
    if data.day > (today or date.today()):
        raise ValidationError({"day": "日期不能晚于今天"}, LABELS)
    recipient = values["recipient"]
    if data.member_id is not None:
        member = session.get(Member, data.member_id)
        if member is None:
            raise NotFoundError("没有这名会员")
        recipient = recipient or member.name
    if not recipient:
        raise ValidationError({"recipient": "请选择会员，或填写慰问对象的姓名"}, LABELS)
    checked = check_record(session, data, editing=editing)
    if checked.refused:
        raise UserError("；".join(f.message for f in checked.refused))
    if checked.over and not values["reason"]:
        raise ValidationError({"reason": f"超过标准，须写明原因：{checked.over}"}, LABELS)
    return dict(
        member_id=data.member_id, recipient=recipient, day=data.day, occasion=data.occasion.value,
        variant=clean_text(data.variant)[:20], cash_fen=data.cash_fen, goods=values["goods"], goods_fen=data.goods_fen,
        funding=data.funding, visitors=values["visitors"], approver=values["approver"],
        voucher_no=values["voucher_no"], documents="、".join(clean_text(d) for d in data.documents if clean_text(d))[:200],
        note=values["note"], over_cap=checked.over[:400], reason=values["reason"] if checked.over else "",
    )  # fmt: skip


def record_care(session: Session, data: CareInput, *, today: date | None = None) -> int:
    """Store one 慰问; refused (UserError) for a forbidden form, and over a cap without a reason."""
    row = CareRecord(**_columns(session, data, today=today))
    session.add(row)
    session.flush()
    return row.id


def _row(session: Session, record_id: int) -> CareRecord:
    row = session.get(CareRecord, record_id)
    if row is None:
        raise NotFoundError(f"没有编号为 {record_id} 的慰问记录")
    return row


def update_care(session: Session, record_id: int, data: CareInput, *, today: date | None = None) -> None:
    """Correct a record: checked again as if it were new, beside the member's other records."""
    row = _row(session, record_id)
    for key, value in _columns(session, data, today=today, editing=record_id).items():
        setattr(row, key, value)
    session.flush()


def delete_care(session: Session, record_id: int) -> CareInfo:
    """Remove a record entered by mistake (the audit log keeps what it was); returns what it was."""
    info = get_care(session, record_id)
    session.delete(_row(session, record_id))
    session.flush()
    return info


def care_input(session: Session, record_id: int) -> CareInput:
    """A stored record as the entry form holds it, to edit."""
    r = _row(session, record_id)
    return CareInput(
        occasion=Occasion(r.occasion), day=r.day, member_id=r.member_id,
        recipient="" if r.member_id is not None else r.recipient, variant=r.variant, cash_fen=r.cash_fen,
        goods=r.goods, goods_fen=r.goods_fen, funding=r.funding, visitors=r.visitors, approver=r.approver,
        voucher_no=r.voucher_no, documents=tuple(d for d in r.documents.split("、") if d), note=r.note,
        reason=r.reason,
    )  # fmt: skip


def set_reason(session: Session, record_id: int, reason: str) -> None:
    """Write why a record is over its cap (an imported one waits for this)."""
    row = _row(session, record_id)
    if not row.over_cap:
        raise UserError("这条慰问记录没有超过标准，不需要填写原因")
    text = clean_text(reason)
    if not text:
        raise ValidationError({"reason": "请写明超过标准的原因"}, LABELS)
    message = too_long(LABELS["reason"], text, _LIMITS["reason"])
    if message:
        raise ValidationError({"reason": message}, LABELS)
    row.reason = text
    session.flush()


@dataclass(frozen=True)
class CareInfo:
    id: int
    member_id: int | None
    recipient: str
    day: date
    occasion: str
    variant: str
    cash_fen: int
    goods: str
    goods_fen: int
    funding: str
    over_cap: str
    reason: str
    source: str
    id_number: str = ""  # the member's ("" for someone not a member)
    group: str = ""  # the member's group, as a path
    visitors: str = ""
    approver: str = ""
    voucher_no: str = ""
    documents: str = ""
    note: str = ""
    batch_id: int | None = None

    @property
    def amount_fen(self) -> int:
        return self.cash_fen + self.goods_fen

    @property
    def awaiting_reason(self) -> bool:
        """Over a cap, and nobody has written why yet (an imported record)."""
        return bool(self.over_cap) and self.reason in ("", IMPORTED_REASON)

    @property
    def what(self) -> str:
        """事由 as printed: 节日慰问（春节）."""
        return self.occasion + (f"（{self.variant}）" if self.variant else "")


def get_care(session: Session, record_id: int) -> CareInfo:
    found = _infos(session, select(CareRecord).where(CareRecord.id == record_id))
    if not found:
        raise NotFoundError(f"没有编号为 {record_id} 的慰问记录")
    return found[0]


def list_care(
    session: Session,
    *,
    year: int | None = None,
    member_id: int | None = None,
    first: date | None = None,
    last: date | None = None,
    occasion: Occasion | None = None,
    batch_id: int | None = None,
    group_id: int | None = None,
    over_cap_only: bool = False,
) -> list[CareInfo]:
    """Records by date: of a calendar year, or from ``first`` to ``last`` (both included), of one
    member, occasion or batch, of the members of a group (and the groups below it), only those
    over a cap — each filter optional."""
    query = select(CareRecord)
    if group_id is not None:
        from app.domain.union import descendants
        from app.services.roster import list_groups

        wanted = descendants(list_groups(session), group_id)
        query = query.where(CareRecord.member_id.in_(select(Member.id).where(Member.group_id.in_(wanted))))
    if over_cap_only:
        query = query.where(CareRecord.over_cap != "")
    if year is not None:
        query = query.where(CareRecord.day >= date(year, 1, 1), CareRecord.day <= date(year, 12, 31))
    if first is not None:
        query = query.where(CareRecord.day >= first)
    if last is not None:
        query = query.where(CareRecord.day <= last)
    if member_id is not None:
        query = query.where(CareRecord.member_id == member_id)
    if occasion is not None:
        query = query.where(CareRecord.occasion == occasion.value)
    if batch_id is not None:
        query = query.where(CareRecord.batch_id == batch_id)
    return _infos(session, query.order_by(CareRecord.day, CareRecord.id))


def _infos(session: Session, query: Select[Any]) -> list[CareInfo]:
    from app.services.roster import list_groups

    paths = {g.id: g.path for g in list_groups(session)}
    rows = session.execute(
        query.outerjoin(Member, Member.id == CareRecord.member_id).add_columns(
            Member.id_number, Member.group_id
        )
    )
    return [
        CareInfo(r.id, r.member_id, r.recipient, r.day, r.occasion, r.variant, r.cash_fen, r.goods, r.goods_fen,
                 r.funding, r.over_cap, r.reason, r.source, id_number or "", paths.get(group_id or 0, ""),
                 r.visitors, r.approver, r.voucher_no, r.documents, r.note, r.batch_id)
        for r, id_number, group_id in rows
    ]  # fmt: skip
