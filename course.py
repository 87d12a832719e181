"""Set up and run the course the same way on Windows, macOS and Linux (Python 3.11 or newer, nothing else).

    python course.py lab [--edition zh]    set up .venv on first use, then open the course in JupyterLab
    python course.py test [pytest options] set up .venv with the test extras, then run every test
    python course.py images                regenerate images/ and images/zh/

`make lab`, `make test` and `make images` call this script. A step is skipped when its stamp in .venv is newer
than pyproject.toml (the set-up is done once); --dry-run prints the commands instead of running them.
JupyterLab listens on 127.0.0.1 only, with Jupyter's token authentication on.
"""
import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMPS = {"lab": VENV / ".installed", "test": VENV / ".installed-test"}
EXTRAS = {"lab": "lab", "test": "test"}  # pyproject's extras each step installs (test includes the server)


def run(cmd, dry):
    print(" ".join(str(c) for c in cmd), flush=True)
    if not dry:
        subprocess.run([str(c) for c in cmd], cwd=ROOT, check=True)


def set_up(extra, dry):
    """Create .venv (once) and install the package with ``extra`` (again when pyproject.toml changes)."""
    if sys.version_info < (3, 11):
        sys.exit(f"Python 3.11 or newer is needed (found {sys.version.split()[0]}); run this script with it")
    if not PYTHON.exists():
        run([sys.executable, "-m", "venv", VENV], dry)
        run([PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], dry)
    stamp = STAMPS[extra]
    if not stamp.exists() or stamp.stat().st_mtime < (ROOT / "pyproject.toml").stat().st_mtime:
        run([PYTHON, "-m", "pip", "install", "--quiet", "-e", f".[{EXTRAS[extra]}]"], dry)
        if not dry:
            stamp.touch()


def lab_command(edition):
    first = "notebooks/zh/00_overview.ipynb" if edition == "zh" else "notebooks/00_overview.ipynb"
    # the server's root is the repository: the chapters show figures from ../images/
    cmd = [PYTHON, "-m", "jupyterlab", "--ServerApp.ip=127.0.0.1", "--ServerApp.root_dir=.",
           f"--ServerApp.default_url=/lab/tree/{first}"]
    if hasattr(os, "getuid") and os.getuid() == 0:
        cmd.append("--allow-root")  # inside a container one is often root, which Jupyter refuses unless told
    return cmd


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python course.py", description=__doc__.split("\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="print the commands, run nothing")
    sub = parser.add_subparsers(dest="command", required=True)
    lab = sub.add_parser("lab", help="set up, then open the course in JupyterLab")
    lab.add_argument("--edition", choices=("en", "zh"), default="en", help="en (default) or zh (中文版)")
    sub.add_parser("test", help="set up with the test extras, then run every test (more options go to pytest)")
    sub.add_parser("images", help="regenerate images/ and images/zh/")
    args, rest = parser.parse_known_args(argv)
    if rest and args.command != "test":
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    if args.command == "lab":
        set_up("lab", args.dry_run)
        run(lab_command(args.edition), args.dry_run)
    elif args.command == "test":
        set_up("lab", args.dry_run)
        set_up("test", args.dry_run)
        run([PYTHON, "-m", "pytest", *rest], args.dry_run)
    else:
        set_up("lab", args.dry_run)
        run([PYTHON, "-m", "lstm_helpers.figures", "images"], args.dry_run)
        run([PYTHON, "-m", "lstm_helpers.figures", "--lang", "zh", "images/zh"], args.dry_run)


if __name__ == "__main__":
    try:
        main()
    except subprocess.CalledProcessError as exc:
        sys.exit(exc.returncode)
    except KeyboardInterrupt:
        sys.exit(130)
