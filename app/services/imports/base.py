"""What an importer is, and what the pipeline and an importer hand each other."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from app.services.progress import NO_PROGRESS, Progress

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.excel.reader import Sheet
    from app.services.excel.table import ColumnMapping, FieldSpec

ACTIONS = ("new", "update", "unchanged", "skip", "error")


@dataclass(frozen=True)
class RowIssue:
    row: int  # the spreadsheet's own row number
    column: str  # the column's header text in the file ("" for the row as a whole)
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(slots=True)
class PlannedRow:
    """One data row of the sheet and what importing it would do."""

    row: int
    cells: list[Any]
    action: str = "error"  # one of ACTIONS
    issues: list[RowIssue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # assumptions made reading it, e.g. year-month dates
    changes: list[FieldChange] = field(default_factory=list)

    def title(self) -> str:
        """Who or what the row is, in the preview (a member's name)."""
        return ""


@dataclass(frozen=True)
class Question:
    """A value the importer does not know, which the user may say the meaning of before
    anything is written (a 慰问事由 in the union's own words: 病号慰问 → 住院). The answer is
    one of ``choices``, with an optional free ``detail`` (细分) when the question has one;
    the importer remembers answers when it writes."""

    field_key: str  # the importer's field the value is in
    column: str  # the column's header text in the file
    value: str  # as written, spaces removed
    rows: tuple[int, ...]  # the spreadsheet's own row numbers it is on
    choices: tuple[str, ...]  # what it may mean
    detail: str = ""  # the name of the answer's optional second part ("细分"); "" for none
    details: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # suggested details by choice

    @property
    def key(self) -> tuple[str, str]:
        """Where its answer goes in ``ImportOptions.answers``."""
        return (self.field_key, self.value)


@dataclass(frozen=True)
class Answer:
    choice: str  # one of the question's choices
    detail: str = ""


R = TypeVar("R", bound=PlannedRow)
Known = TypeVar("Known")


class Preloaded(Generic[Known]):
    """What an importer's ``plan`` reads from the 账套 before it looks at the rows, loaded
    ahead by ``Importer.prepare`` or else when the plan asks for it. Used once: the wizard
    plans again after an answer, and then reads the 账套 as it is then."""

    def __init__(self, load: Callable[[Session], Known]) -> None:
        self._load = load
        self._held: tuple[Session, Known] | None = None

    def ahead(self, session: Session) -> None:
        self._held = (session, self._load(session))

    def take(self, session: Session) -> Known:
        held, self._held = self._held, None
        if held is not None and held[0] is session:
            return held[1]
        return self._load(session)


Opts = TypeVar("Opts", bound="ImportOptions")


@dataclass(frozen=True)
class ImportOptions:
    """What every importer is told; an importer with choices of its own extends it."""

    today: date = field(default_factory=date.today)
    # the user's answers to the plan's questions, by (field key, value as written)
    answers: Mapping[tuple[str, str], Answer] = field(default_factory=dict)


@dataclass
class ImportPlan(Generic[R]):
    """What importing a sheet would do, row by row; nothing has been written yet."""

    kind: str
    path: Path  # the file read (the sheet's name until the pipeline knows the file)
    sheet: str
    mapping: ColumnMapping
    rows: list[R]
    file_notes: list[str] = field(default_factory=list)
    ignored_rows: list[int] = field(default_factory=list)  # footer lines: 合计, 制表人…
    warnings: list[RowIssue] = field(default_factory=list)  # worth a look, not a reason to refuse
    notes: list[str] = field(default_factory=list)  # what else applying would do ("将新建分组：…")
    questions: list[Question] = field(default_factory=list)  # values to ask about, not yet answered

    def counts(self) -> Counter[str]:
        """Rows by action: new / update / unchanged / skip / error."""
        return Counter(r.action for r in self.rows)

    def count(self, action: str) -> int:
        return self.counts()[action]

    @property
    def errors(self) -> list[RowIssue]:
        return [issue for r in self.rows for issue in r.issues]

    def summary(self) -> dict[str, Any]:
        """The counts and issues as DESIGN.md's import JSON has them."""
        counts = self.counts()
        return {
            "new": counts["new"],
            "updated": counts["update"],
            "unchanged": counts["unchanged"],
            "skipped": counts["skip"],
            "errors": [issue.as_dict() for issue in self.errors],
            "warnings": [issue.as_dict() for issue in self.warnings],
        }


@dataclass(frozen=True)
class ImportResult:
    new: int
    updated: int
    unchanged: int
    skipped: int
    invalid: int
    notes: tuple[str, ...] = ()  # what else was done ("新建了 3 个分组")


class Importer(ABC, Generic[R, Opts]):
    """One kind of sheet. Subclasses name it and its fields, and turn rows into records.

    ``plan`` reads and checks the rows of the table the pipeline found (``table_rows`` and
    ``read_columns`` in ``columns.py`` do the reading) and says what would change;
    ``apply`` writes a plan without errors (or only its good rows) in the caller's
    transaction. Neither commits: the pipeline's caller owns the transaction.

    A value the importer cannot read but the user can name (a 慰问事由 in the union's own
    words) is a question in ``plan.questions``; the answers come back in ``options.answers``
    for the next plan, and ``apply`` remembers them.
    """

    kind: ClassVar[str]  # "roster": the key its remembered mappings are stored under
    title: ClassVar[str]  # "花名册": its name on screen
    fields: ClassVar[Sequence[FieldSpec]]
    ignored_fields: ClassVar[frozenset[str]] = frozenset()  # recognised so not "unknown", never read
    noun: ClassVar[str] = "行"  # what a row is, in messages: 名会员, 条记录

    def __init__(self, options: Opts) -> None:
        self.options = options

    def required(self) -> list[FieldSpec]:
        return [spec for spec in self.fields if spec.required]

    def prepare(self, session: Session) -> None:
        """Load now what ``plan`` needs from the 账套 whatever the file holds (``Preloaded``):
        the command line calls it while the file is still being parsed on its own thread,
        so the two take the time of one. ``plan`` in the same session then uses it."""

    @abstractmethod
    def plan(
        self, session: Session, sheet: Sheet, mapping: ColumnMapping, progress: Progress = NO_PROGRESS
    ) -> ImportPlan[R]: ...

    @abstractmethod
    def apply(self, session: Session, plan: ImportPlan[R], progress: Progress = NO_PROGRESS) -> ImportResult:
        """Write the rows whose action is new or update; error rows are never passed on."""
