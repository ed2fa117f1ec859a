"""The year-end (or half-year) summary draft as text: the phrasings from ``resources/summary/``
filled with a period report's figures.

The templates are plain text files the secretary may edit (README.txt in that folder says
how). A phrasing is one sentence with placeholders (``{人次}``); among the phrasings of an
entry the draft uses those whose placeholders all have a value, preferring the ones that use
the most of them, and picks one by a hash of the year and the union's name — the same
records always give the same draft. A sentence needs a figure from the records: an area
without any is left out (or becomes a 【请补充：…】 prompt), never written as an achievement.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from app.domain.money import format_fen
from app.services.errors import UserError
from app.services.reports.period import Figure, PeriodReport

# a paragraph's kind: the title, "一、" and "（一）" headings, body text, a 【请补充：…】 prompt,
# the issuer and the date at the end
PARAGRAPH_KINDS: tuple[str, ...] = ("title", "heading1", "heading2", "body", "prompt", "signature", "date")
PROMPT_START = "【请补充"

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_ENTRY = re.compile(r"^\[([^\[\]]+)\]$")

COMMON_FIELDS = frozenset({"工会", "年度", "期间", "期间以来", "期末", "下期"})
_ROUTINE_CARE = ("节日慰问", "生日", "结婚", "生育", "住院", "会员去世", "直系亲属去世", "退休", "其他")
_AID_CARE = ("送温暖", "金秋助学", "困难帮扶", "大病救助")
SPORTS_KINDS = ("文体活动", "会员活动", "疗休养", "职工之家建设")
EDUCATION_KINDS = ("职工教育培训", "劳动竞赛", "宣传活动")

# each file: its entries (None: any entry, each a paragraph in file order) and the placeholders
# its phrasings may use besides the common ones
FILES: dict[str, tuple[frozenset[str] | None, frozenset[str]]] = {
    "headings": (
        frozenset(
            {
                "基本情况",
                "主要工作",
                "经费使用情况",
                "存在的不足",
                "工作打算",
                "组织建设",
                "民主管理与维权",
                "关爱服务",
                "文体活动",
                "职工教育与劳动竞赛",
                "其他活动",
                "其他工作",
                "附件标题",
            }
        ),
        frozenset(),
    ),
    "opening": (frozenset({"开头", "未到期末"}), frozenset({"生成日"})),
    "basics": (
        frozenset({"会员", "构成", "会费", "欠缴", "多缴", "无记录"}),
        frozenset({"会员数", "构成", "应收", "实收", "收缴率", "欠缴", "多缴"}),
    ),
    "organization": (frozenset({"入会", "变动", "补充"}), frozenset({"入会", "会员数", "变动"})),
    "democracy": (None, frozenset()),
    "care": (
        frozenset({"总计", "帮扶开头", "困难档案", "超过标准", "补充", *_ROUTINE_CARE, *_AID_CARE}),
        frozenset({"人次", "金额", "户数", "未写原因"}),
    ),
    "activities": (frozenset({"总计", "补充", *SPORTS_KINDS}), frozenset({"次数", "人次"})),
    "education": (frozenset({"补充", *EDUCATION_KINDS}), frozenset({"次数", "人次"})),
    "funds": (
        frozenset({"收入", "执行", "科目", "审查", "补充", "无记录"}),
        frozenset({"收入", "收入科目", "预算", "支出", "执行率", "科目支出"}),
    ),
    "others": (frozenset({"未记录", "其他"}), frozenset({"未记录"})),
    "shortcomings": (None, frozenset()),
    "plans": (None, frozenset()),
    "closing": (frozenset({"附件说明", "附件提示"}), frozenset()),
}


@dataclass(frozen=True)
class SummaryParagraph:
    kind: str  # one of PARAGRAPH_KINDS
    text: str


@dataclass(frozen=True)
class Phrasing:
    text: str
    fields: frozenset[str]
    line: int


@dataclass(frozen=True)
class Templates:
    """Every file's entries in file order: {file: {entry: [phrasing, …]}}."""

    files: dict[str, dict[str, list[Phrasing]]]
    folder: Path

    def entries(self, file: str) -> list[str]:
        return list(self.files.get(file, {}))

    def phrasings(self, file: str, entry: str) -> list[Phrasing]:
        return self.files.get(file, {}).get(entry, [])


def templates_folder() -> Path:
    from app.paths import resource

    return resource("summary")


def load_templates(folder: Path | None = None) -> Templates:
    """Read and check every template file; a mistake is a UserError naming the file and line."""
    folder = folder or templates_folder()
    files: dict[str, dict[str, list[Phrasing]]] = {}
    for name, (entries, fields) in FILES.items():
        path = folder / f"{name}.txt"
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise UserError(f"总结模板文件缺失：{path}（请从程序安装包中恢复这个文件）") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(f"总结模板文件“{path}”无法读取：请用 UTF-8 编码保存（{exc}）") from exc
        files[name] = _parse(path, text, entries, COMMON_FIELDS | fields)
    return Templates(files, folder)


def _parse(
    path: Path, text: str, entries: frozenset[str] | None, allowed: frozenset[str]
) -> dict[str, list[Phrasing]]:
    where = f"总结模板“{path.name}”"
    found: dict[str, list[Phrasing]] = {}
    current: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        header = _ENTRY.match(line)
        if header:
            current = header.group(1).strip()
            if entries is not None and current not in entries:
                known = "、".join(f"[{e}]" for e in sorted(entries))
                raise UserError(f"{where}第 {number} 行：没有“[{current}]”这个条目；这个文件的条目是 {known}")
            if current in found:
                raise UserError(f"{where}第 {number} 行：条目“[{current}]”写了两次")
            found[current] = []
            continue
        if current is None:
            raise UserError(f"{where}第 {number} 行：句子应写在 [条目名称] 下面")
        if line.count("{") != line.count("}"):
            raise UserError(f"{where}第 {number} 行：花括号不成对")
        names = frozenset(_PLACEHOLDER.findall(line))
        unknown = sorted(names - allowed)
        if unknown:
            words = "、".join(f"{{{u}}}" for u in unknown)
            usable = "、".join(f"{{{a}}}" for a in sorted(allowed))
            raise UserError(f"{where}第 {number} 行：不认识的占位符 {words}；这个文件可以用 {usable}")
        found[current].append(Phrasing(line, names, number))
    for entry, phrasings in found.items():
        if not phrasings:
            raise UserError(
                f"{where}：条目“[{entry}]”下面没有句子，至少写一种说法（不要这句话就删去整个条目）"
            )
    return found


# ---------------------------------------------------------------- numbers in words


def yuan(fen: int) -> str:
    """Money as the summaries write it: 5,600元, 5,600.50元, 135,000元; 100万元 and more as
    135.5万元 when that is exact (the appendix keeps the exact figure either way). Below a
    million yuan in 元: a budget of 13.5万元 beside 93,900元 spent would mix units in a sentence."""
    if abs(fen) >= 100_000_000 and fen % 100_000 == 0:
        return f"{Decimal(fen) / Decimal(1_000_000):,f}万元"
    whole, cents = divmod(abs(fen), 100)
    sign = "-" if fen < 0 else ""
    return f"{sign}{whole:,}元" if cents == 0 else f"{sign}{whole:,}.{cents:02d}元"


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def value_of(figure: Figure) -> int | Decimal | None:
    """The figure's value for the period; a year's budget (no period value) by its year column."""
    return figure.period if figure.period is not None else figure.year_to_date


def figure_text(figure: Figure) -> str:
    """A figure with its unit, exactly (the appendix)."""
    value = value_of(figure)
    if value is None:
        return "—"
    if figure.unit == "fen":
        return f"{format_fen(int(value))}元"
    if figure.unit == "%":
        return f"{value}%"
    return f"{value}{figure.unit}"


# ---------------------------------------------------------------- the draft


@dataclass(frozen=True)
class Value:
    text: str
    figures: tuple[Figure, ...] = ()


@dataclass
class Draft:
    title: str
    paragraphs: list[SummaryParagraph]
    figures: list[Figure]
    attachment_note: str
    appendix_title: str
    appendix_note: str = ""  # under the appendix's title, highlighted: it is for checking, not for sending


@dataclass
class _Writer:
    templates: Templates
    seed: str
    common: dict[str, Value]
    paragraphs: list[SummaryParagraph] = field(default_factory=list)
    used: dict[str, Figure] = field(default_factory=dict)

    def pick(self, file: str, entry: str, values: dict[str, Value] | None = None) -> str | None:
        """One phrasing of ``entry`` filled in, or None when the entry is absent or every
        phrasing needs a value there is none of."""
        known = {**self.common, **(values or {})}
        usable = [p for p in self.templates.phrasings(file, entry) if p.fields <= known.keys()]
        if not usable:
            return None
        most = max(len(p.fields - self.common.keys()) for p in usable)
        usable = [p for p in usable if len(p.fields - self.common.keys()) == most]
        digest = hashlib.sha256(f"{self.seed}|{file}|{entry}".encode()).hexdigest()
        chosen = usable[int(digest, 16) % len(usable)]
        for name in _PLACEHOLDER.findall(chosen.text):
            for figure in known[name].figures:
                self.used.setdefault(figure.key, figure)
        return _PLACEHOLDER.sub(lambda m: known[m.group(1)].text, chosen.text)

    def add(self, kind: str, text: str | None) -> None:
        if text:
            self.paragraphs.append(SummaryParagraph(kind, text))

    def sentences(self, parts: Iterable[str | None]) -> str:
        return "".join(p for p in parts if p)

    def prompt(self, file: str, entry: str, values: dict[str, Value] | None = None) -> None:
        text = self.pick(file, entry, values)
        if text:
            self.add("prompt" if text.startswith(PROMPT_START) else "body", text)


_NUMERALS = "一二三四五六七八九十"


def _numeral(n: int) -> str:
    if n <= 10:
        return _NUMERALS[n - 1]
    if n < 20:
        return "十" + _NUMERALS[n - 11]
    return str(n)


def period_words(year: int, half: int | None) -> tuple[str, str, str, date]:
    """(期间, 期间以来, 下期, 期末) for the year or the half."""
    if half is None:
        return "全年", "一年来", f"{year + 1}年", date(year, 12, 31)
    if half == 1:
        return "上半年", "半年来", "下半年", date(year, 6, 30)
    return "下半年", "半年来", f"{year + 1}年", date(year, 12, 31)


def summary_title(union_name: str, year: int, half: int | None) -> str:
    which = "" if half is None else ("上半年" if half == 1 else "下半年")
    return f"{union_name}{year}年{which}工作总结"


def compose(
    report: PeriodReport,
    *,
    year: int,
    half: int | None,
    today: date,
    seed: str,
    templates: Templates,
    extra: Sequence[Figure] = (),
) -> Draft:
    """The draft's paragraphs from ``report`` (and ``extra`` figures: activities by kind,
    ``activities.kind.<kind>.held`` / ``.participants``)."""
    figures: dict[str, Figure] = {f.key: f for f in report.figures()}
    figures.update({f.key: f for f in extra})
    name = report.union_name
    during, since, following, end = period_words(year, half)
    # drafted before the period is over, a count "截至期末" is the count of the day it was drafted
    as_of = min(today, end)
    common = {
        "工会": Value(name),
        "年度": Value(f"{year}年"),
        "期间": Value(during),
        "期间以来": Value(since),
        "期末": Value(chinese_date(as_of)),
        "下期": Value(following),
    }
    w = _Writer(templates, seed, common)

    def fig(key: str) -> Figure | None:
        return figures.get(key)

    def amount(key: str) -> int:
        found = fig(key)
        value = value_of(found) if found else None
        return int(value) if isinstance(value, int) else 0

    def count(key: str) -> Value | None:
        found = fig(key)
        if found is None or not amount(key):
            return None
        return Value(str(amount(key)), (found,))

    def money(key: str) -> Value | None:
        found = fig(key)
        if found is None or not amount(key):
            return None
        return Value(yuan(amount(key)), (found,))

    def zero(key: str) -> Value | None:
        """Nothing received against something due is a figure too."""
        found = fig(key)
        return Value("0元", (found,)) if found is not None and amount("dues.due") else None

    def rate(key: str) -> Value | None:
        """The period's rate; the 执行率 of a second half is the year's to date (its 本期
        would be the half's spending over the whole year's budget), and says so beside the
        half's own spending."""
        found = fig(key)
        value = value_of(found) if found is not None else None
        if found is None or value is None:
            return None
        whole_year = "（全年累计）" if found.period is None and half == 2 else ""
        return Value(f"{value}%{whole_year}", (found,))

    def outstanding(key: str) -> Value | None:
        """What is still owed at the period's end: for a second half, the year's to date (the
        first half's unpaid months are still owed), as its appendix line says."""
        found = fig(key)
        if found is not None and half == 2:
            found = replace(found, period=None)
            if not isinstance(found.year_to_date, int) or not found.year_to_date:
                return None
            return Value(yuan(found.year_to_date), (found,))
        return money(key)

    def unapplied() -> Value | None:
        """What was received but covers none of the period's charges (paid ahead, paid over,
        or paid for an earlier year): why 应收 less 实收 is not the 欠缴. A second half's
        欠缴 is the year's to date, so there the three do not meet in one sum."""
        keys = ("dues.paid", "dues.due", "dues.arrears")
        fen = amount("dues.paid") - amount("dues.due") + amount("dues.arrears")
        if half == 2 or fen <= 0 or not amount("dues.due"):
            return None
        return Value(yuan(fen), tuple(f for key in keys if (f := fig(key)) is not None))

    def listing(items: list[tuple[str, Value | None, str]]) -> Value | None:
        parts = [(f"{before}{v.text}{after}", v.figures) for before, v, after in items if v is not None]
        if not parts:
            return None
        return Value("、".join(t for t, _ in parts), tuple(f for _, fs in parts for f in fs))

    def present(values: dict[str, Value | None]) -> dict[str, Value]:
        return {k: v for k, v in values.items() if v is not None}

    def heading(entry: str) -> str:
        return w.pick("headings", entry) or entry

    title = summary_title(name, year, half)
    w.add("title", title)
    w.add("body", w.pick("opening", "开头"))
    if today < end:  # drafted before the period is over: its last weeks are not in the records yet
        w.prompt("opening", "未到期末", {"生成日": Value(chinese_date(today))})

    level1 = 0

    def h1(entry: str) -> None:
        nonlocal level1
        level1 += 1
        w.add("heading1", f"{_numeral(level1)}、{heading(entry)}")

    # 一、基本情况
    h1("基本情况")
    closing = fig("members.closing")
    sub = _sub_counts(closing, fig("hardship.members"))
    basics = present({
        "会员数": count("members.closing"),
        "构成": listing([("女会员", sub.get("female"), "人"), ("农民工会员", sub.get("migrant"), "人"),
                         ("困难职工", sub.get("hardship"), "人")]),
        "应收": money("dues.due"),
        "实收": money("dues.paid") or zero("dues.paid"),
        "收缴率": rate("dues.rate") if amount("dues.due") else None,
        "欠缴": outstanding("dues.arrears"),
        "多缴": unapplied(),
    })  # fmt: skip
    text = w.sentences([
        w.pick("basics", "会员", basics) if "会员数" in basics else None,
        w.pick("basics", "构成", basics) if "会员数" in basics and "构成" in basics else None,
        w.pick("basics", "会费", basics) if "应收" in basics else None,
        w.pick("basics", "欠缴", basics) if "应收" in basics and "欠缴" in basics else None,
        w.pick("basics", "多缴", basics) if "应收" in basics and "多缴" in basics else None,
    ])  # fmt: skip
    if text:
        w.add("body", text)
    else:
        w.prompt("basics", "无记录")

    # 二、主要工作
    h1("主要工作")
    level2 = 0
    missing: list[str] = []

    def h2(entry: str) -> None:
        nonlocal level2
        level2 += 1
        w.add("heading2", f"（{_numeral(level2)}）{heading(entry)}")

    # 组织建设
    organization = present({
        "入会": count("members.joined"),
        "会员数": count("members.closing"),
        "变动": listing([("转入", count("members.transfer_in"), "人"), ("恢复会籍", count("members.restored"), "人"),
                         ("转出", count("members.transfer_out"), "人"), ("退会、除名", count("members.withdrawn"), "人"),
                         ("转为保留会籍", count("members.retained"), "人"),
                         ("因会员去世注销会籍", count("members.deaths"), "人")]),
    })  # fmt: skip
    if "入会" in organization or "变动" in organization:
        h2("组织建设")
        w.add("body", w.sentences([
            w.pick("organization", "入会", organization) if "入会" in organization else None,
            w.pick("organization", "变动", organization) if "变动" in organization else None,
        ]))  # fmt: skip
        w.prompt("organization", "补充")
    else:
        missing.append(heading("组织建设"))

    # 民主管理与维权: the records know nothing of it
    h2("民主管理与维权")
    for entry in w.templates.entries("democracy"):
        w.prompt("democracy", entry)

    # 关爱服务
    routine = [w.pick("care", o, present({"人次": count(f"care.{o}.count"), "金额": money(f"care.{o}.amount")}))
               for o in _ROUTINE_CARE if count(f"care.{o}.count")]  # fmt: skip
    aid = [w.pick("care", o, present({"人次": count(f"care.{o}.count"), "金额": money(f"care.{o}.amount")}))
           for o in _AID_CARE if count(f"care.{o}.count")]  # fmt: skip
    files = count("hardship.files")
    total_care = present({"人次": count("care.count"), "金额": money("care.amount")})
    if "人次" in total_care or files:
        h2("关爱服务")
        if "人次" in total_care:
            w.add("body", w.sentences([w.pick("care", "总计", total_care), *routine]))
        if files or any(aid):
            w.add("body", w.sentences([
                w.pick("care", "帮扶开头"),
                w.pick("care", "困难档案", {"户数": files}) if files else None,
                *aid,
            ]))  # fmt: skip
        # RULES §2: care over a cap is flagged wherever it appears, a summary sent upward too
        over = present({"人次": count("care.over_cap.count"), "金额": money("care.over_cap.amount"),
                        "未写原因": count("care.over_cap.unexplained")})  # fmt: skip
        if "人次" in over:
            w.prompt("care", "超过标准", over)
        w.prompt("care", "补充")
    else:
        missing.append(heading("关爱服务"))

    # 文体活动, 职工教育与劳动竞赛
    def kind_values(kind: str) -> dict[str, Value]:
        return present({
            "次数": count(f"activities.kind.{kind}.held"),
            "人次": count(f"activities.kind.{kind}.participants"),
        })  # fmt: skip

    total_activities = present({"次数": count("activities.held"), "人次": count("activities.participants")})
    total_written = "次数" not in total_activities
    for file, entry, kinds in (
        ("activities", "文体活动", SPORTS_KINDS),
        ("education", "职工教育与劳动竞赛", EDUCATION_KINDS),
    ):
        lines = [w.pick(file, k, kind_values(k)) for k in kinds if "次数" in kind_values(k)]
        if not any(lines):
            missing.append(heading(entry))
            continue
        h2(entry)
        total = None if total_written else w.pick("activities", "总计", total_activities)
        total_written = True
        w.add("body", w.sentences([total, *lines]))
        w.prompt(file, "补充")
    if not total_written:  # activities, but none of a kind either section writes about
        h2("其他活动")
        w.add("body", w.pick("activities", "总计", total_activities))

    h2("其他工作")
    if missing:
        w.prompt("others", "未记录", {"未记录": Value("、".join(missing))})
    else:
        w.prompt("others", "其他")

    # 经费使用情况
    h1("经费使用情况")
    categories: list[tuple[str, Value | None, str]] = []
    for key, found in figures.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "budget" and parts[2] == "spent" and amount(key):
            label = found.label.removesuffix("（支出）")
            categories.append((label, money(key), ""))
    funds = present({
        "预算": money("budget.budget"),
        "支出": money("budget.spent"),
        "执行率": rate("budget.rate") if amount("budget.budget") else None,
        "科目支出": listing(categories),
    })  # fmt: skip
    income_lines = [
        (found.label.removesuffix("（收入）"), money(key), "")
        for key, found in figures.items()
        if key.startswith("income.") and key.endswith(".received") and key.count(".") == 2 and amount(key)
    ]
    received = present({"收入": money("income.received"), "收入科目": listing(income_lines)})
    if "支出" in funds:
        w.add("body", w.sentences([
            w.pick("funds", "收入", received) if "收入" in received else None,
            w.pick("funds", "执行", funds),
            w.pick("funds", "科目", funds) if "科目支出" in funds else None,
        ]))  # fmt: skip
        # what came in is only what was entered: the rest (拨缴经费 not entered …) is hers to add
        w.prompt("funds", "审查" if "收入" in received else "补充")
    else:
        w.prompt("funds", "无记录")

    # 存在的不足, 工作打算: the records cannot know them
    h1("存在的不足")
    for entry in w.templates.entries("shortcomings"):
        w.prompt("shortcomings", entry)
    h1("工作打算")
    for entry in w.templates.entries("plans"):
        w.prompt("plans", entry)

    w.add("signature", name)
    w.add("date", chinese_date(today))
    return Draft(
        title=title,
        paragraphs=w.paragraphs,
        figures=list(w.used.values()),
        attachment_note=w.pick("closing", "附件说明") or "附件：数据来源",
        appendix_title=heading("附件标题"),
        appendix_note=w.pick("closing", "附件提示") or "",
    )


def _sub_counts(closing: Figure | None, hardship: Figure | None) -> dict[str, Value]:
    """期末 女, 农民工 and 困难职工 counts as figures of their own (the appendix lists them)."""
    found: dict[str, Value] = {}
    if closing is not None:
        for key, label, pair, basis in (
            ("female", "女", closing.female, "性别"),
            ("migrant", "农民工", closing.migrant, "农民工标记"),
        ):
            if pair and pair[0]:
                figure = Figure(
                    f"{closing.key}.{key}", f"{closing.label}（{label}）", closing.unit, pair[0], pair[1],
                    counts=f"{closing.counts}；其中的{label}会员（按名册中的{basis}）", command=closing.command,
                )  # fmt: skip
                found[key] = Value(str(pair[0]), (figure,))
    if hardship is not None and isinstance(hardship.period, int) and hardship.period:
        found["hardship"] = Value(str(hardship.period), (hardship,))
    return found
