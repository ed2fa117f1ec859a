"""The union's dated dues rule (会费标准)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.dues import DuesRule, MonthRule, Rules, check_rule
from app.domain.text import clean_text
from app.domain.yearmonth import YearMonth
from app.models import DuesRuleSetting
from app.services.errors import ValidationError

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
