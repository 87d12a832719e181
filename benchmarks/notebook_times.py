"""Wall time of every notebook run top to bottom on a fresh kernel (headless), against its 60 s budget.

    python benchmarks/notebook_times.py [notebook ...]

Runs each notebook once (as the tests do) and prints seconds; a notebook with errors says so.
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from notebook_runner import execute  # noqa: E402

BUDGET_S = 60


def main():
    paths = [Path(p) for p in sys.argv[1:]] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    print(f"{'notebook':>34} {'seconds':>8} {'budget':>7}  result")
    for path in paths:
        _, problems, seconds = execute(path)
        print(f"{path.name:>34} {seconds:8.1f} {BUDGET_S:7d}  {'clean' if not problems else problems[0]}", flush=True)


if __name__ == "__main__":
    main()
