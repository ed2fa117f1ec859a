from app.cli import run_program

raise SystemExit(run_program())
