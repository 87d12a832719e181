"""Set up and run the course the same way on Windows, macOS and Linux (Python 3.11 or newer, nothing else).

    python course.py lab [--edition zh]    set up .venv on first use, then open the course in JupyterLab
    python course.py test [pytest options] set up .venv with the test extras, then run every test
    python course.py images                regenerate images/ and images/zh/
    python course.py link --hub URL        print the nbgitpuller link that gives a class the course on a JupyterHub
    python course.py class-repo DEST       write the class's copy of the course: a git repository without the
                                           model answers (instructor/) and the tests, for the link to pull

`make lab`, `make test` and `make images` call this script. A step is skipped when its stamp in .venv is newer
than pyproject.toml and instructor/pyproject.toml (the set-up is done once); --dry-run prints the commands instead of running them.
JupyterLab listens on 127.0.0.1 only, with Jupyter's token authentication on.
"""
import argparse
import io
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMPS = {"lab": VENV / ".installed", "test": VENV / ".installed-test"}
EXTRAS = {"lab": "lab", "test": "test"}  # pyproject's extras each step installs (test includes the server)
# and the instructor's package (the model answers; for tests also otter-grader, to build the graded track)
INSTRUCTOR = {"lab": "./instructor", "test": "./instructor[grade]"}
# The proxy JupyterHub puts in front of the servers, for tests/test_hub.py; npm installs it into .venv/node.
PROXY = ("configurable-http-proxy", "5")
COURSE_DIR = "lstm-step-by-step"  # the folder an nbgitpuller link clones into each student's home
# What the class's copy leaves out: the model answers, and what only the course's developers run (the tests
# import the answers). Students get the chapters, the figures, lstm_helpers, this script and the docs.
NOT_FOR_CLASS = ("instructor", "tests", "benchmarks", ".ci")
# Voila's apps (/voila/render/... on the same server) load MathJax from a CDN unless the server's mathjax_url
# and mathjax_config read "null"; then they typeset with the MathJax JupyterLab bundles, which needs no
# internet. (The string, not None: Notebook 7's pages need a string there, and JupyterLab ignores both.)
OFFLINE_MATH = '--ServerApp.tornado_settings={"mathjax_url": "null", "mathjax_config": "null"}'


def run(cmd, dry):
    print(" ".join(str(c) for c in cmd), flush=True)
    if not dry:
        subprocess.run([str(c) for c in cmd], cwd=ROOT, check=True)


def set_up(extra, dry):
    """Create .venv (once) and install the package with ``extra`` (again when either pyproject.toml changes)."""
    if sys.version_info < (3, 11):
        sys.exit(f"Python 3.11 or newer is needed (found {sys.version.split()[0]}); run this script with it")
    if not PYTHON.exists():
        run([sys.executable, "-m", "venv", VENV], dry)
        run([PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], dry)
    stamp = STAMPS[extra]
    # the course and, on one's own machine, the exercises' model answers (instructor/: not in the student
    # package, which a class's hub installs, nor in a class's copy of the course)
    answers = [INSTRUCTOR[extra]] if (ROOT / "instructor").is_dir() else []
    newest = max((ROOT / f).stat().st_mtime for f in ("pyproject.toml", "instructor/pyproject.toml")
                 if (ROOT / f).exists())
    if not stamp.exists() or stamp.stat().st_mtime < newest:
        run([PYTHON, "-m", "pip", "install", "--quiet", "-e", f".[{EXTRAS[extra]}]",
             *[a for answer in answers for a in ("-e", answer)]], dry)
        if not dry:
            stamp.touch()


def set_up_proxy(dry):
    """npm install configurable-http-proxy into .venv/node (once), if npm is there; the hub test needs it."""
    npm = shutil.which("npm")
    if npm is None:
        print(f"npm not found: the JupyterHub test will be skipped (it needs {PROXY[0]} from npm)", flush=True)
    elif not (VENV / "node" / "node_modules" / PROXY[0]).exists():
        try:
            run([npm, "install", "--prefix", VENV / "node", "--no-audit", "--no-fund", "--loglevel=error",
                 f"{PROXY[0]}@{PROXY[1]}"], dry)
        except subprocess.CalledProcessError:  # offline, say: every other test can still run
            print(f"npm could not install {PROXY[0]}: the JupyterHub test will be skipped", flush=True)


def chapter_file(chapter, edition="en"):
    """notebooks/NN_....ipynb (notebooks/zh/... for the Chinese edition) for a chapter number such as "07"."""
    folder = "notebooks/zh" if edition == "zh" else "notebooks"
    found = sorted((ROOT / folder).glob(f"{chapter}*.ipynb"))
    if len(found) != 1:
        sys.exit(f"--chapter {chapter!r}: expected one notebook in {folder}/ to start with it, found "
                 f"{[p.name for p in found]}")
    return f"{folder}/{found[0].name}"


def nbgitpuller_link(hub, repo, ref="main", chapter="00", edition="en", folder=COURSE_DIR):
    """The link a student clicks: log in to ``hub``, get (or update) ``repo`` at ``ref``, open the chapter.

    nbgitpuller clones the repository into ~/<folder> on the first click and pulls on later ones, merging
    without overwriting the student's own edits. deploy/jupyterhub/course_config.py sends every student
    to the same place when they log in (the query is the same).
    """
    query = urlencode({"repo": repo, "branch": ref, "targetpath": folder,
                       "urlpath": f"lab/tree/{folder}/{chapter_file(chapter, edition)}"})
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def git(*args, cwd=ROOT, check=True, env=None):
    return subprocess.run(["git", *map(str, args)], cwd=cwd, check=check, capture_output=True, text=True, env=env)


def class_repo(dest, ref="HEAD"):
    """Write the class's copy of the course at ``ref`` into ``dest``: a new git repository with one commit,
    holding the course without NOT_FOR_CLASS. Push it where the class's nbgitpuller link points; later
    versions are new commits on it (run again into a fresh folder and copy the files over, or merge)."""
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        sys.exit(f"{dest} is not empty: give a new folder for the class's copy")
    if shutil.which("git") is None:
        sys.exit("git is not installed: the class's copy is a git repository")
    found = git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
    if found.returncode != 0:
        sys.exit(f"--ref {ref!r}: no such commit, branch or tag in this repository (git tag lists the versions)")
    commit = found.stdout.strip()
    dest.mkdir(parents=True, exist_ok=True)
    leave_out = [f":(exclude){path}" for path in NOT_FOR_CLASS]
    archive = subprocess.run(["git", "archive", "--format=tar", commit, "--", ".", *leave_out], cwd=ROOT,
                             check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")
    git("init", "--quiet", "--initial-branch=main", cwd=dest)
    git("add", "-A", cwd=dest)
    who = {} if git("config", "user.email", cwd=dest, check=False).stdout.strip() else {
        "GIT_AUTHOR_NAME": "Instructor", "GIT_AUTHOR_EMAIL": "instructor@localhost",
        "GIT_COMMITTER_NAME": "Instructor", "GIT_COMMITTER_EMAIL": "instructor@localhost"}
    git("commit", "--quiet", "-m", f"LSTM, step by step at {commit[:12]}, for the class "
        f"(without {', '.join(NOT_FOR_CLASS)})", cwd=dest, env={**os.environ, **who})
    return commit


def lab_command(edition):
    first = "notebooks/zh/00_overview.ipynb" if edition == "zh" else "notebooks/00_overview.ipynb"
    # the server's root is the repository: the chapters show figures from ../images/
    cmd = [PYTHON, "-m", "jupyterlab", "--ServerApp.ip=127.0.0.1", "--ServerApp.root_dir=.",
           f"--ServerApp.default_url=/lab/tree/{first}", OFFLINE_MATH]
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
    link = sub.add_parser("link", help="print the nbgitpuller link for a class on a JupyterHub")
    link.add_argument("--hub", required=True, help="the hub's address, e.g. https://hub.example.edu")
    link.add_argument("--repo", help="the course's git URL (default: this clone's origin)")
    link.add_argument("--ref", default="main", help="branch or tag to give the class (a tag such as v0.2.0 "
                                                    "pins it to one version; default main)")
    link.add_argument("--chapter", default="00", help="the chapter to open, e.g. 07 (default 00)")
    link.add_argument("--edition", choices=("en", "zh"), default="en", help="en (default) or zh (中文版)")
    copy = sub.add_parser("class-repo", help="write the class's copy of the course (no model answers, no tests) "
                                             "as a new git repository, for the link to pull")
    copy.add_argument("dest", help="a new folder")
    copy.add_argument("--ref", default="HEAD", help="the commit, branch or tag to copy (default HEAD)")
    args, rest = parser.parse_known_args(argv)
    if rest and args.command != "test":
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    if args.command == "lab":
        set_up("lab", args.dry_run)
        run(lab_command(args.edition), args.dry_run)
    elif args.command == "test":
        if not (ROOT / "tests").is_dir():
            sys.exit("this is a class's copy of the course (course.py class-repo), without the tests: "
                     "run them in the course's own repository")
        set_up("lab", args.dry_run)
        set_up("test", args.dry_run)
        set_up_proxy(args.dry_run)
        run([PYTHON, "-m", "pytest", *rest], args.dry_run)
    elif args.command == "link":
        repo = args.repo or subprocess.run(["git", "remote", "get-url", "origin"], cwd=ROOT, capture_output=True,
                                           text=True).stdout.strip()
        if not repo:
            sys.exit("this clone has no origin remote: give the course's git URL with --repo")
        print(nbgitpuller_link(args.hub, repo, args.ref, args.chapter, args.edition))
    elif args.command == "class-repo":
        commit = class_repo(args.dest, args.ref)
        print(f"{args.dest}: the course at {commit[:12]} without {', '.join(NOT_FOR_CLASS)}. Push it to the "
              f"class's git server, then: python course.py link --hub URL --repo <its URL>")
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
