"""The union's dated dues rule (会费标准) and the exemptions set by hand (免缴)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.dues import DuesRule, Exemption, MonthRule, Rules, check_rule
from app.domain.text import clean_text, too_long
from app.domain.yearmonth import YearMonth
from app.models import DuesExemption, DuesRuleSetting, Member
from app.services.errors import NotFoundError, UserError, ValidationError

RULE_LABELS = {
    "rate_bp": "费率",
    "tail_fen": "尾数单位",
    "apprentice_fen": "学徒会费",
    "month_rule": "应缴月份规则",
}


def _rule(row: DuesRuleSetting) -> DuesRule:
    return DuesRule(
        YearMonth.of(row.effective_from),
        row.rate_bp,
        row.tail_fen,
        row.apprentice_fen,
        MonthRule(row.month_rule),
    )


def load_rules(session: Session) -> Rules:
    return Rules(_rule(r) for r in session.scalars(select(DuesRuleSetting)))


def list_rules(session: Session) -> list[DuesRule]:
    return [
        _rule(r) for r in session.scalars(select(DuesRuleSetting).order_by(DuesRuleSetting.effective_from))
    ]


def set_rule(session: Session, rule: DuesRule, note: str = "") -> None:
    """The rule from ``rule.effective_from`` on; the same month again corrects that setting.
    Charges already rolled keep their amounts until the months are rolled again (then only
    the unpaid ones change)."""
    errors = check_rule(rule)
    if errors:
        raise ValidationError(errors, RULE_LABELS)
    first = rule.effective_from.first_day()
    row = session.scalar(select(DuesRuleSetting).where(DuesRuleSetting.effective_from == first))
    if row is None:
        row = DuesRuleSetting(effective_from=first)
        session.add(row)
    row.rate_bp, row.tail_fen, row.apprentice_fen = rule.rate_bp, rule.tail_fen, rule.apprentice_fen
    row.month_rule, row.note = rule.month_rule.value, clean_text(note)[:200]
    session.flush()


@dataclass(frozen=True)
class ExemptionInfo:
    id: int
    member_id: int
    member_name: str
    exemption: Exemption


def add_exemption(session: Session, member_id: int, exemption: Exemption) -> int:
    """Excuse a member from dues for ``exemption``'s months; the reason is required."""
    if session.get(Member, member_id) is None:
        raise NotFoundError("没有这名会员")
    reason = clean_text(exemption.reason)
    if not reason:
        raise UserError("请写明免缴会费的原因")
    message = too_long("免缴原因", reason, 200)
    if message:
        raise UserError(message)
    if exemption.last is not None and exemption.last < exemption.first:
        raise UserError("免缴的结束月份早于开始月份")
    row = DuesExemption(
        member_id=member_id,
        first_month=exemption.first.first_day(),
        last_month=exemption.last.first_day() if exemption.last else None,
        reason=reason,
    )
    session.add(row)
    session.flush()
    return row.id


def remove_exemption(session: Session, exemption_id: int) -> None:
    row = session.get(DuesExemption, exemption_id)
    if row is None:
        raise NotFoundError("没有这条免缴记录")
    session.delete(row)
    session.flush()


def list_exemptions(session: Session, member_id: int | None = None) -> list[ExemptionInfo]:
    query = select(DuesExemption, Member.name).join(Member, Member.id == DuesExemption.member_id)
    if member_id is not None:
        query = query.where(DuesExemption.member_id == member_id)
    return [
        ExemptionInfo(
            row.id,
            row.member_id,
            name,
            Exemption(
                YearMonth.of(row.first_month),
                YearMonth.of(row.last_month) if row.last_month else None,
                row.reason,
            ),
        )
        for row, name in session.execute(query.order_by(DuesExemption.first_month, DuesExemption.id))
    ]
