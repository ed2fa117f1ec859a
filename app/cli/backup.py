"""`backup`, `restore`: checked backups of the 账套 and restoring one.

Both work on the 账套 file itself and never open it with the database layer: a restore must
work when the 账套 is damaged or missing, and a backup copies the file as it is.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.common import EXIT_DATABASE, EXIT_INPUT, EXIT_OK, FileHandler, Parser, command, print_json, say

if TYPE_CHECKING:
    from app.db_backup import BackupFile
    from app.instance_lock import InstanceLock
    from app.services.system import FolderInfo


def register(sub: argparse._SubParsersAction[Parser]) -> None:
    backup = command(
        sub, "backup", "立即备份账套（备份经过完整性检查）；--list 列出已有的备份", _backup, opens=False
    )
    backup.add_argument("--to", type=Path, metavar="文件夹", help="备份到这个文件夹（如 U 盘），只这一次")
    backup.add_argument(
        "--list", action="store_true", help="列出本账套的备份（与 --to 一起用时列出该文件夹中的）"
    )
    backup.add_argument("--folder", type=Path, metavar="文件夹", help="以后的备份都保存到这个文件夹")
    backup.add_argument("--default-folder", action="store_true", help="以后的备份保存到默认的备份文件夹")
    backup.add_argument("--json", action="store_true", help="以 JSON 输出")

    restore = command(
        sub, "restore", "用一份备份恢复账套（现在的数据先另存为“恢复前”备份）", _restore, opens=False
    )
    restore.add_argument(
        "file", type=Path, metavar="备份文件", help="备份文件（或 backup --list 列出的文件名）"
    )
    restore.add_argument("--yes", action="store_true", help="不再询问，直接恢复")
    restore.add_argument("--json", action="store_true", help="以 JSON 输出")


def _on_file(handler: FileHandler) -> FileHandler:
    """The exit codes of a command that opens nothing itself: 3 when the 账套 cannot be used,
    1 for input (a backup file, a folder) that will not do."""

    @wraps(handler)
    def run(args: argparse.Namespace) -> int:
        from app.db_file import DatabaseOpenError
        from app.services.errors import UserError

        try:
            return handler(args)
        except DatabaseOpenError as exc:
            print(f"账套无法使用：{exc}", file=sys.stderr)
            return EXIT_DATABASE
        except UserError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return EXIT_INPUT
        except OSError as exc:
            name = f"“{exc.filename}”" if exc.filename else ""
            print(f"错误：文件{name}无法读写（{exc.strerror or exc}）", file=sys.stderr)
            return EXIT_INPUT

    return run


def _pad(text: str, width: int, *, right: bool = False) -> str:
    """``text`` padded to ``width`` terminal columns (a Chinese character takes two)."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    fill = " " * max(width - used, 0)
    return fill + text if right else text + fill


def _backup_json(backup: BackupFile) -> dict[str, object]:
    return {
        "id": backup.id,
        "file": str(backup.path),
        "kind": backup.kind,
        "made": backup.made.isoformat(timespec="minutes"),
        "size": backup.size,
        "intact": backup.intact,
    }


def _folder_lines(info: FolderInfo) -> list[str]:
    if info.chosen is None:
        return [f"备份文件夹：{info.folder}（默认）"]
    if info.problem:
        return [
            f"设置的备份文件夹：{info.chosen}",
            f"注意：{info.problem}。现在的备份保存在默认文件夹“{info.default}”中",
        ]
    return [f"备份文件夹：{info.folder}"]


@_on_file
def _backup(args: argparse.Namespace) -> int:
    if args.folder is not None or args.default_folder:
        return _set_folder(args)
    if args.list:
        return _list(args)
    from app.services.system import backup_now

    made = backup_now(args.db_path, to=args.to)
    backup = made.backup
    if args.json:
        print_json(
            {
                **_backup_json(backup),
                "verified": True,
                "folder": str(made.folder),
                "note": made.note,
                "removed": [str(p) for p in made.removed],
            }
        )
        return EXIT_OK
    say(f"已备份账套“{Path(args.db_path).name}”：{backup.path}")
    say(f"大小 {backup.size_text}，已通过完整性检查。")
    if made.note:
        say(f"注意：{made.note}")
    if made.removed:
        say(f"按保留规则删除了 {len(made.removed)} 份较早的自动备份。")
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    from app.db_backup import list_backups
    from app.services.system import backup_overview

    db_path = Path(args.db_path).expanduser().resolve()
    if args.to is not None:
        folder_lines = [f"文件夹：{args.to}"]
        backups = list_backups(args.to, db_path.stem)
        folder_json: dict[str, object] = {"folder": str(args.to)}
    else:
        found = backup_overview(db_path)
        info = found.folder
        folder_lines = _folder_lines(info)
        backups = found.backups
        folder_json = {
            "folder": str(info.folder),
            "chosen": None if info.chosen is None else str(info.chosen),
            "default": str(info.default),
            "problem": info.problem,
        }
    if args.json:
        print_json({**folder_json, "count": len(backups), "backups": [_backup_json(b) for b in backups]})
        return EXIT_OK
    for line in folder_lines:
        say(line)
    if not backups:
        say(f"还没有账套“{db_path.name}”的备份。用 uniondesk backup 立即备份。")
        return EXIT_OK
    say("")
    say(f"{_pad('时间', 16)}  {_pad('类型', 10)}  {_pad('大小', 9, right=True)}  文件")
    for backup in backups:
        state = "" if backup.intact else "  （文件不完整，不能使用）"
        when, size = f"{backup.made:%Y-%m-%d %H:%M}", backup.size_text
        say(f"{_pad(when, 16)}  {_pad(backup.kind, 10)}  {_pad(size, 9, right=True)}  {backup.path}{state}")
    say("")
    say(f"共 {len(backups)} 份备份。恢复其中一份：uniondesk restore 文件名")
    return EXIT_OK


def _set_folder(args: argparse.Namespace) -> int:
    from app.cli.access import password_refusal
    from app.db import open_database
    from app.instance_lock import lock_for_command
    from app.services.errors import UserError
    from app.services.system import set_backup_folder

    if args.folder is not None and args.default_folder:
        raise UserError("--folder 和 --default-folder 只能选一个")
    db = open_database(args.db_path, create=False)
    try:
        lock = lock_for_command(db.path)  # a window that has the 账套 open refuses (exit 3)
        try:
            refusal = password_refusal(db)
            if refusal is not None:
                print(refusal, file=sys.stderr)
                return EXIT_DATABASE
            with db.session() as session:
                info = set_backup_folder(session, db.path, None if args.default_folder else args.folder)
        finally:
            lock.release()
    finally:
        db.close()
    if args.json:
        print_json({"folder": str(info.folder), "chosen": None if info.chosen is None else str(info.chosen)})
        return EXIT_OK
    say(f"以后的备份将保存在：{info.folder}" + ("（默认文件夹）" if info.chosen is None else ""))
    return EXIT_OK


def _find_backup(db_path: Path, given: Path) -> Path:
    """The file given, or — when only a name was typed — the backup of that name in the list."""
    if given.exists() or given.parent != Path("."):
        return given
    from app.services.system import backup_overview

    for backup in backup_overview(db_path).backups:
        if backup.path.name == given.name:
            return backup.path
    return given


def _confirm(question: str, ask: Callable[[str], str] = input) -> bool:
    try:
        answer = ask(question)
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes", "是", "确定")


class _NoLock:
    def release(self) -> None:
        pass


def _command_lock(db_path: Path) -> InstanceLock | _NoLock:
    """The lock a writing command holds; none for a folder that does not exist yet, where no
    window can have the 账套 open."""
    from app.instance_lock import lock_for_command

    return lock_for_command(db_path) if db_path.parent.is_dir() else _NoLock()


@_on_file
def _restore(args: argparse.Namespace) -> int:
    from app.cli.access import file_password_refusal
    from app.db_backup import describe
    from app.services.system import check_backup_file, restore_backup

    db_path = Path(args.db_path).expanduser().resolve()
    source = _find_backup(db_path, args.file)
    check_backup_file(source)  # a file that will not do is told before anything is asked
    _command_lock(db_path).release()  # nor is anything asked while a window has the 账套
    refusal = file_password_refusal(db_path)
    if refusal is not None:
        print(refusal, file=sys.stderr)
        return EXIT_DATABASE
    if not args.yes and sys.stdin.isatty():
        try:
            found = describe(source)
            what = f"（{found.made:%Y-%m-%d %H:%M} 的{found.kind}备份）"
        except ValueError:
            what = ""
        say(f"将用备份“{source.name}”{what}恢复账套“{db_path}”。")
        say(
            "账套中现在的全部数据会被这份备份替换；现在的数据会先另存为一份“恢复前”备份，需要时可以再恢复回来。"
        )
        if not _confirm("确定恢复吗？输入 y 并回车确认，直接回车取消："):
            say("已取消，账套没有改动。")
            return EXIT_INPUT
    lock = _command_lock(db_path)  # a window that has the 账套 open refuses (exit 3)
    try:
        result = restore_backup(db_path, source)
    finally:
        lock.release()
    if args.json:
        print_json(
            {
                "db": str(result.db_path),
                "restored_from": str(result.source),
                "revision": result.revision,
                "kept": None if result.kept is None else str(result.kept),
                "kept_as": result.kept_as,
                "upgrade_needed": result.upgrade_needed,
                "note": result.note,
            }
        )
        return EXIT_OK
    say(f"已用备份“{result.source.name}”恢复账套：{result.db_path}")
    if result.kept is None:
        say("原来没有账套文件，没有需要保留的数据。")
    elif result.kept_damaged:
        say(f"原来的账套文件已损坏，已改名保留为：{result.kept}")
    else:
        say(f"恢复前的数据已另存为：{result.kept}")
    if result.note:
        say(f"注意：{result.note}")
    if result.upgrade_needed:
        say("这份备份来自旧版本的 UnionDesk，下次打开账套时会自动升级（升级前会再做一份备份）。")
    return EXIT_OK
