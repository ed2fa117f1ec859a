"""Start-up of the bundled program against a bare PySide6 window bundled the same way.

    python bench/bench_bundle.py [--runs 5] [--members 2000] [--bundle DIR] [--rebuild]

Uses the UnionDesk bundle packaging/linux/build.sh left in build/linux/ (or --bundle DIR, a
dist/UnionDesk folder), else builds one from packaging/uniondesk.spec into build/bench/;
builds a bare bundle (a script that shows an empty QMainWindow, prints "ready <ms>" and quits)
with the same PyInstaller options (onedir, no UPX, no strip, the spec's exclusions, the modules
stored undeflated as packaging/linux/build.sh has them: ``BUILD_ENVIRONMENT``), then
starts each as a whole process, offscreen, several times interleaved, and prints:
- start: process start to window ready, measured by the parent (spawn to the "ready" line),
  min / median / max for each, and the ratio of the medians        (target <= 2x)
- the same as each process reports it (its age from /proc when shown, as bench_roster.py does),
  the ratio of the fastest runs (the least disturbed by other work on the machine), and the
  CPU time each had used when ready (from /proc; other work disturbs it far less)
UnionDesk is ready when its first roster page is on screen (`gui --quit-when-ready`), on a
demo 账套 made by the bundle's own command line.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "build" / "bench"
WINDOWS = sys.platform == "win32"
# as packaging/linux/build.sh and packaging/windows/build.bat build the program: both bundles alike
BUILD_ENVIRONMENT = {"PYINSTALLER_ZLIB_COMPRESSION_LEVEL": "0"}
EXE = ".exe" if WINDOWS else ""
CLI = "uniondesk-cli" if WINDOWS else "uniondesk"  # the console program (the window has no stdout on Windows)

# The floor: a bare PySide6 window that reports its process age when shown, as ours does
# (app.ui.app.process_age_ms, inlined: the bare bundle has no app package).
BARE = """
import os, sys, time
t0 = time.perf_counter()
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


def process_age_ms():
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            after_name = stat.read().rsplit(")", 1)[1].split()
        with open("/proc/uptime", encoding="ascii") as uptime:
            now = float(uptime.read().split()[0])
        return (now - int(after_name[19]) / os.sysconf("SC_CLK_TCK")) * 1000
    except (OSError, ValueError, IndexError, AttributeError):
        return (time.perf_counter() - t0) * 1000


app = QApplication(sys.argv)
window = QMainWindow()
window.show()


def ready():
    print(f"ready {round(process_age_ms())}", flush=True)
    app.quit()


QTimer.singleShot(0, ready)
app.exec()
"""


def _spec_excludes() -> list[str]:
    """The spec's EXCLUDES, read from its text so the bare bundle leaves out the same."""
    import ast

    tree = ast.parse((ROOT / "packaging" / "uniondesk.spec").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "EXCLUDES" for t in node.targets):
            value = ast.literal_eval(node.value)
            return [str(name) for name in value]
    raise SystemExit("packaging/uniondesk.spec has no EXCLUDES")


def _pyinstaller() -> list[str]:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        raise SystemExit(
            'PyInstaller is not installed: .venv/bin/python -m pip install -e ".[package]"'
        ) from None
    return [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"]


def _build(what: str, args: list[str]) -> float:
    print(f"building the {what} bundle …", flush=True)
    start = time.perf_counter()
    subprocess.run([*_pyinstaller(), *args], cwd=ROOT, check=True, env={**os.environ, **BUILD_ENVIRONMENT})
    seconds = time.perf_counter() - start
    print(f"  built in {seconds:.0f} s", flush=True)
    return seconds


def ours_bundle(given: str | None, rebuild: bool) -> Path:
    if given:
        return Path(given)
    made_by_build_sh = sorted((ROOT / "build" / "linux").glob("UnionDesk-*/UnionDesk"))
    if made_by_build_sh and not rebuild:
        return made_by_build_sh[-1]
    bundle = WORK / "dist" / "UnionDesk"
    if rebuild or not (bundle / f"{CLI}{EXE}").exists():
        spec = ["--distpath", str(WORK / "dist"), "--workpath", str(WORK / "work")]
        _build("UnionDesk", [*spec, str(ROOT / "packaging" / "uniondesk.spec")])
    return bundle


def bare_bundle(rebuild: bool) -> Path:
    bundle = WORK / "dist" / "Bare"
    if rebuild or not (bundle / f"Bare{EXE}").exists():
        WORK.mkdir(parents=True, exist_ok=True)
        script = WORK / "bare.py"
        script.write_text(BARE, encoding="utf-8")
        options = ["--onedir", "--name", "Bare", "--noupx", "--console"]
        options += [f"--exclude-module={name}" for name in _spec_excludes()]
        folders = [
            "--distpath",
            str(WORK / "dist"),
            "--workpath",
            str(WORK / "work"),
            "--specpath",
            str(WORK),
        ]
        _build("bare PySide6", [*options, *folders, str(script)])
    return bundle


def _env(home: str) -> dict[str, str]:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", UNIONDESK_HOME=home)


def _cpu_ms(pid: int) -> float:
    """CPU time (user + system, all threads) the process has used so far; 0 where /proc is missing."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK") * 1000
    except (OSError, ValueError, IndexError, AttributeError):
        return 0.0


def _until_ready(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Milliseconds from spawning ``cmd`` to its "ready" line, the age it reported, and the
    CPU time it had used by then (which other work on the machine disturbs far less)."""
    start = time.perf_counter()
    child = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert child.stdout is not None
    for line in child.stdout:
        if line.startswith("ready "):
            seen = (time.perf_counter() - start) * 1000
            cpu = _cpu_ms(child.pid)
            break
    else:
        child.wait()
        raise SystemExit(f"no 'ready' line from: {' '.join(cmd)}")
    child.stdout.read()
    if child.wait() != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return seen, float(line.split()[1]), cpu


def _spread(values: list[float]) -> str:
    return f"min {min(values):.0f} / median {statistics.median(values):.0f} / max {max(values):.0f} ms"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--bundle", help="a built UnionDesk folder (dist/UnionDesk) to measure")
    parser.add_argument("--rebuild", action="store_true", help="build both bundles again")
    args = parser.parse_args()

    ours = ours_bundle(args.bundle, args.rebuild)
    bare = bare_bundle(args.rebuild)
    home = tempfile.mkdtemp(prefix="ud-bench-")
    env = _env(home)
    db = str(Path(home) / "bench.db")
    cli = str(ours / f"{CLI}{EXE}")
    print(f"building a demo 账套 with {args.members} members with the bundle's command line …", flush=True)
    subprocess.run(
        [cli, "--db", db, "demo", "--members", str(args.members)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )

    bare_cmd = [str(bare / f"Bare{EXE}")]
    ours_cmd = [cli, "--db", db, "gui", "--quit-when-ready"]
    _until_ready(bare_cmd, env)  # warm the file cache for both
    _until_ready(ours_cmd, env)
    bare_seen, bare_age, bare_cpu, ours_seen, ours_age, ours_cpu = [], [], [], [], [], []
    for _ in range(args.runs):  # interleaved, so machine noise hits both alike
        seen, age, cpu = _until_ready(bare_cmd, env)
        bare_seen.append(seen)
        bare_age.append(age)
        bare_cpu.append(cpu)
        seen, age, cpu = _until_ready(ours_cmd, env)
        ours_seen.append(seen)
        ours_age.append(age)
        ours_cpu.append(cpu)

    print(f"bundles: {ours} and {bare}; {args.runs} runs each, offscreen, members: {args.members}")
    print(f"  bare PySide6 window: {_spread(bare_seen)}")
    print(f"  UnionDesk, first roster page shown: {_spread(ours_seen)}")
    print(
        f"  as the processes report their age when shown: bare {statistics.median(bare_age):.0f} ms, "
        f"UnionDesk {statistics.median(ours_age):.0f} ms"
    )
    floor, start = statistics.median(bare_seen), statistics.median(ours_seen)
    # the fastest runs are the ones other work on the machine disturbed least
    print(f"  ratio of the fastest runs: {min(ours_seen) / min(bare_seen):.2f}x")
    if statistics.median(bare_cpu) > 0:
        cpu_floor, cpu_start = statistics.median(bare_cpu), statistics.median(ours_cpu)
        print(
            f"  CPU time used by then (all threads): bare {cpu_floor:.0f} ms, UnionDesk {cpu_start:.0f} ms, "
            f"ratio {cpu_start / cpu_floor:.2f}x"
        )
    print(
        f"bundle start (process start to window ready): bare {floor:.0f} ms, UnionDesk {start:.0f} ms, "
        f"ratio {start / floor:.2f}x (target <= 2x)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
