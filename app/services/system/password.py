"""The optional 启动密码 (start-up password) and the auto-lock after idle minutes.

Stored in the 账套's settings: ``secret.startup_password`` holds a scrypt hash with its salt
and parameters ("scrypt$16384$8$1$<salt hex>$<hash hex>"; the audit log hides ``secret.``
values), ``lock.idle_minutes`` the minutes without input before the window locks
(0: never; absent: the default). The password keeps people at this computer out of the
program; it does not encrypt the file — whoever has the file can read it with other tools.

Nothing here imports SQLAlchemy at module level: the window reads the hash with sqlite3
alone (``read_password_settings``) before the database layer has loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from app.db_file import LockedDatabaseError
from app.services.errors import UserError, ValidationError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

PASSWORD_KEY = "secret.startup_password"
IDLE_KEY = "lock.idle_minutes"
DEFAULT_IDLE_MINUTES = 10
MAX_IDLE_MINUTES = 24 * 60
MIN_LENGTH, MAX_LENGTH = 4, 128
ENV_PASSWORD = "UNIONDESK_PASSWORD"  # how a script gives the 启动密码 to a command

# scrypt's cost: ~16 MiB and some 50 ms a try, slow enough that guessing from a stolen
# hash is costly, quick enough that nobody waits for it.
_N, _R, _P, _SALT_BYTES, _KEY_BYTES = 2**14, 8, 1, 16, 32
_MAX_MEMORY = 64 * 1024 * 1024  # a record asking for more is refused, not computed
_SCHEME = "scrypt"

FIELD_LABELS = {"old": "原密码", "new": "新密码", "confirm": "确认新密码", "idle": "自动锁定"}


class PasswordRecordError(UserError):
    """The stored hash cannot be read (the file was edited or damaged)."""

    def __init__(self) -> None:
        super().__init__(
            "账套中的启动密码记录已损坏，无法核对密码。请用最近的备份副本，或请技术人员检查账套文件"
        )


class PasswordRequiredError(LockedDatabaseError):
    """The 账套 has a 启动密码 and it was not given (or not right): it stays closed."""


@dataclass(frozen=True)
class PasswordState:
    is_set: bool
    idle_minutes: int  # 0: never locks (always 0 without a password)


def hash_password(password: str) -> str:
    import secrets  # here, as hashlib and hmac below: the window's start reads the state only

    salt = secrets.token_bytes(_SALT_BYTES)
    key = _scrypt(password, salt, _N, _R, _P, _KEY_BYTES)
    return f"{_SCHEME}${_N}${_R}${_P}${salt.hex()}${key.hex()}"


def verify_password(stored: str, password: str) -> bool:
    """Whether ``password`` is the one ``stored`` was made from (a constant-time compare).
    Raises PasswordRecordError for a record that is not one of ours."""
    try:
        scheme, n_text, r_text, p_text, salt_hex, key_hex = stored.split("$")
        n, r, p = int(n_text), int(r_text), int(p_text)
        salt, key = bytes.fromhex(salt_hex), bytes.fromhex(key_hex)
    except ValueError:
        raise PasswordRecordError from None
    sane = n > 1 and n & (n - 1) == 0 and r > 0 and p > 0 and 128 * r * n * p <= _MAX_MEMORY
    if scheme != _SCHEME or not sane or not salt or not 16 <= len(key) <= 64:
        raise PasswordRecordError
    import hmac

    return hmac.compare_digest(_scrypt(password, salt, n, r, p, len(key)), key)


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    import hashlib

    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=length, maxmem=_MAX_MEMORY + 1024 * 1024
    )


def idle_minutes_of(stored: str | None, has_password: bool) -> int:
    """The auto-lock minutes a setting means: the default when unset, 0 without a password."""
    if not has_password:
        return 0
    if stored is None:
        return DEFAULT_IDLE_MINUTES
    try:
        return max(0, min(int(stored), MAX_IDLE_MINUTES))
    except ValueError:
        return DEFAULT_IDLE_MINUTES


# -- in the database ---------------------------------------------------------------------------
def password_hash(session: Session) -> str | None:
    from app.services.system.settings import get_setting

    return get_setting(session, PASSWORD_KEY) or None


def password_state(session: Session) -> PasswordState:
    from app.services.system.settings import get_setting

    stored = password_hash(session)
    return PasswordState(
        stored is not None, idle_minutes_of(get_setting(session, IDLE_KEY), stored is not None)
    )


def check_password(session: Session, password: str) -> bool:
    """True when the 账套 has no 启动密码 or ``password`` is it."""
    stored = password_hash(session)
    return stored is None or verify_password(stored, password)


def set_password(session: Session, new: str, confirm: str, idle_minutes: int | None = None) -> None:
    """A first 启动密码 (one already set is changed with ``change_password``)."""
    if password_hash(session) is not None:
        raise UserError("这个账套已经设有启动密码。要换一个，请用“修改密码”（需要输入原密码）")
    _store(session, _checked_new(new, confirm, {}), idle_minutes)


def change_password(
    session: Session, old: str, new: str, confirm: str, idle_minutes: int | None = None
) -> None:
    stored = password_hash(session)
    if stored is None:
        raise UserError("这个账套还没有设启动密码，请用“设置密码”")
    errors = {} if verify_password(stored, old) else {"old": "原密码不对"}
    _store(session, _checked_new(new, confirm, errors), idle_minutes)


def remove_password(session: Session, old: str) -> None:
    """No 启动密码 any more (and so no auto-lock)."""
    from app.services.system.settings import set_setting

    stored = password_hash(session)
    if stored is None:
        raise UserError("这个账套没有设启动密码")
    if not verify_password(stored, old):
        raise ValidationError({"old": "原密码不对，启动密码没有取消"}, FIELD_LABELS)
    set_setting(session, PASSWORD_KEY, None)
    set_setting(session, IDLE_KEY, None)


def set_idle_minutes(session: Session, minutes: int) -> None:
    from app.services.system.settings import set_setting

    if password_hash(session) is None:
        raise UserError("没有启动密码就不能自动锁定：请先设置启动密码")
    set_setting(session, IDLE_KEY, str(_checked_idle(minutes)))


def _checked_new(new: str, confirm: str, errors: dict[str, str]) -> str:
    if len(new) < MIN_LENGTH:
        errors["new"] = f"至少要 {MIN_LENGTH} 个字符"
    elif len(new) > MAX_LENGTH:
        errors["new"] = f"不能超过 {MAX_LENGTH} 个字符"
    elif new != new.strip():
        errors["new"] = "开头和结尾不能是空格"
    elif confirm != new:
        errors["confirm"] = "两次输入的新密码不一样"
    if errors:
        raise ValidationError(errors, FIELD_LABELS)
    return new


def _checked_idle(minutes: int) -> int:
    if not 0 <= minutes <= MAX_IDLE_MINUTES:
        raise ValidationError(
            {"idle": f"请填 0 到 {MAX_IDLE_MINUTES} 之间的分钟数（0 表示不自动锁定）"}, FIELD_LABELS
        )
    return minutes


def _store(session: Session, new: str, idle_minutes: int | None) -> None:
    from app.services.system.settings import set_setting

    if idle_minutes is not None:
        _checked_idle(idle_minutes)
    set_setting(session, PASSWORD_KEY, hash_password(new))
    if idle_minutes is not None:
        set_setting(session, IDLE_KEY, str(idle_minutes))


# -- before the database layer has loaded --------------------------------------------------------
class StoredPassword(NamedTuple):
    hash: str | None
    idle_minutes: int


def read_stored_password(path: Path) -> StoredPassword:
    """The 启动密码's hash and the auto-lock minutes of the 账套 at ``path``, read with sqlite3
    alone. A file not made yet, or made before settings existed, has none. A file that
    cannot be asked raises DatabaseOpenError: never "no password" for want of an answer."""
    from app.db_file import check_file, read_rows

    if not path.exists() or path.stat().st_size == 0:
        return StoredPassword(None, 0)
    check_file(path)
    if not read_rows(path, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'app_settings'"):
        return StoredPassword(None, 0)
    sql = "SELECT key, value FROM app_settings WHERE key IN (?, ?)"
    values = {str(key): value for key, value in read_rows(path, sql, (PASSWORD_KEY, IDLE_KEY))}
    stored = values.get(PASSWORD_KEY) or None
    if stored is not None and not isinstance(stored, str):
        raise PasswordRecordError
    idle = values.get(IDLE_KEY)
    return StoredPassword(stored, idle_minutes_of(None if idle is None else str(idle), stored is not None))
