"""A class on a real JupyterHub: students log in, get the course with its nbgitpuller link, run a chapter.

The hub (tests/hub_harness.py) loads deploy/jupyterhub/course_config.py, the settings an instructor deploys.
The course comes from the class's copy of this repository (`course.py class-repo`: no model answers, no
tests), standing for the class's git server; no student's home gets an answer. Three students are
created and their servers started through the hub's REST API; each server's own redirect sends them to the
course's nbgitpuller link, which clones the course into their home; each runs a chapter at the same time
in their own server, which must compute the numbers a local run computes. Then the instructor publishes an
update and a student who edited the same notebook pulls it: the update arrives, the student's edit stays.
Last, a student does it in Chromium: log in, land in JupyterLab on the chapter.

Skipped with a reason when JupyterHub, nbgitpuller, git or configurable-http-proxy is missing (`python
course.py test` installs them, the proxy with npm), except under CI=true, where that is a failure.
"""
import importlib.util
import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import nbformat
import pytest

import browser_harness as bh
import hub_harness as hh
from notebook_runner import assert_same_numbers

ROOT = Path(__file__).resolve().parents[1]
STUDENTS = ("ada", "bo", "chen")
CHAPTER = "05"  # the input gate: explorers, figures and a few seconds of numbers


course = bh.course()


def _missing():
    for module in ("jupyterhub", "nbgitpuller"):
        if importlib.util.find_spec(module) is None:
            return f"{module} is not installed (pip install -e '.[test]')"
    if shutil.which("git") is None:
        return "git is not installed"
    if hh.find_proxy() is None:
        return "configurable-http-proxy is not installed (python course.py test installs it with npm)"
    return None


@pytest.fixture(scope="module")
def upstream(tmp_path_factory):
    """The class's copy of this repository, standing for the class's git server: (file:// URL, its branch, its
    path)."""
    if (reason := _missing()) is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {reason}", pytrace=False)
        pytest.skip(reason)
    path = tmp_path_factory.mktemp("upstream") / "course"
    course.class_repo(path)
    for key, value in (("user.name", "Instructor"), ("user.email", "instructor@example.edu")):
        subprocess.run(["git", "-C", str(path), "config", key, value], check=True)
    branch = subprocess.run(["git", "-C", str(path), "rev-parse", "--abbrev-ref", "HEAD"], check=True,
                            capture_output=True, text=True).stdout.strip()
    return path.as_uri(), branch, path


@pytest.fixture(scope="module")
def hub(upstream):
    url, branch, _ = upstream
    env = {"LSTM_COURSE_REPO": url, "LSTM_COURSE_REF": branch, "LSTM_COURSE_DIR": course.COURSE_DIR,
           "LSTM_COURSE_FIRST": course.chapter_file(CHAPTER)}
    with hh.jupyterhub(hh.find_proxy(), env) as running:
        for name in STUDENTS:
            running.add_student(name)
        with ThreadPoolExecutor(len(STUDENTS)) as pool:  # the class logs in at once
            list(pool.map(running.start_server, STUDENTS))
        yield running


def link_query(upstream):
    url, branch, _ = upstream
    link = course.nbgitpuller_link("https://hub.example.edu", url, branch, CHAPTER)
    assert link.startswith("https://hub.example.edu/hub/user-redirect/git-pull?")
    return urlsplit(link).query


def chapter():
    """The chapter's path in a student's home."""
    return Path(course.COURSE_DIR) / course.chapter_file(CHAPTER)


def test_each_student_gets_the_course_from_the_link(hub, upstream):
    query = link_query(upstream)
    for name in STUDENTS:
        # the server sends a student who logs in where course_config.py says: the course's link
        target = urlsplit(hub.default_url(name))
        assert target.path == f"/user/{name}/git-pull", target
        assert parse_qs(target.query) == parse_qs(query), "course_config.py and `course.py link` agree"
        events = hub.git_pull(name, query)
        assert events and events[-1]["phase"] == "finished", events[-3:]
        assert (hub.home / name / chapter()).exists()
        mine = hub.home / name / chapter()
        shown = re.findall(r"\.\./images/[\w/.-]+\.png", mine.read_text(encoding="utf-8"))
        assert shown and all((mine.parent / p).exists() for p in shown), "the figures the chapter shows came too"
        home = hub.home / name / course.COURSE_DIR
        assert not [p for p in course.NOT_FOR_CLASS if (home / p).exists()], "the class's copy leaves these out"
        assert not leaked_answers(home), "no model answer reached a student"
    assert leaked_answers(ROOT / "instructor"), "the check finds the answers where they are"


def leaked_answers(folder):
    """The exercises whose model answer is in a text file under ``folder``."""
    from lstm_course_instructor import leaked
    return leaked("\n".join(p.read_text(encoding="utf-8", errors="replace") for p in folder.rglob("*")
                             if p.is_file() and ".git" not in p.parts and p.suffix not in (".png", ".ttf", ".otf")))


def test_the_class_runs_a_chapter_at_once_and_computes_the_local_numbers(hub, upstream, notebook_run):
    for name in STUDENTS:
        if not (hub.home / name / chapter()).exists():
            assert hub.git_pull(name, link_query(upstream))[-1]["phase"] == "finished"
    with ThreadPoolExecutor(len(STUDENTS)) as pool:
        runs = list(pool.map(lambda name: hh.run_chapter(hub, name, chapter().as_posix()), STUDENTS))
    local = notebook_run(CHAPTER)
    for name, run in zip(STUDENTS, runs):
        assert not run.problems, f"{name}: " + "\n".join(run.problems)
        widgets = [o for c in run.nb.cells for o in c.get("outputs", [])
                   if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
        assert widgets, f"{name}: the chapter's explorers were displayed"
        assert run.values, f"{name}: the probe read the chapter's globals back"
        assert_same_numbers(local.values, run.values)


def test_an_update_arrives_and_the_students_edit_stays(hub, upstream):
    url, branch, path = upstream
    name = STUDENTS[0]
    mine = hub.home / name / chapter()
    if not mine.exists():
        assert hub.git_pull(name, link_query(upstream))[-1]["phase"] == "finished"
    # the student writes an answer into the chapter's last cell ...
    nb = nbformat.read(mine, as_version=4)
    nb.cells[-1].source += "\n\nMy answer: the input gate decides how much is written."
    nbformat.write(nb, mine)
    gone = hub.home / name / course.COURSE_DIR / course.chapter_file("06")
    gone.unlink()  # ... and deletes another chapter by mistake,
    # while the instructor changes that same cell, puts an announcement at the top and adds a file
    theirs = path / course.chapter_file(CHAPTER)
    nb = nbformat.read(theirs, as_version=4)
    nb.cells[-1].source += "\n\nCorrection: the last sentence is wrong."
    nb.cells.insert(1, nbformat.v4.new_markdown_cell("Announcement: office hours are on Friday."))
    nbformat.write(nb, theirs)
    (path / "notebooks" / "week2.md").write_text("Week 2: chapters 03 to 05.\n")
    subprocess.run(["git", "-C", str(path), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(path), "commit", "--quiet", "-m", "Week 2"], check=True)

    events = hub.git_pull(name, link_query(upstream))
    assert events[-1]["phase"] == "finished", events[-3:]
    assert (hub.home / name / course.COURSE_DIR / "notebooks" / "week2.md").exists(), "the update arrived"
    merged = nbformat.read(mine, as_version=4)  # still a valid notebook
    last = merged.cells[-1].source
    assert "My answer: the input gate" in last and "Correction" not in last, "the student's version of a cell wins"
    assert merged.cells[1].source.startswith("Announcement"), "the rest of the instructor's change arrived"
    assert gone.exists(), "a deleted file comes back"


def test_a_student_logs_in_in_the_browser_and_lands_on_the_chapter(hub, upstream):
    chromium = bh.find_chromium()
    if chromium is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no Chromium found at /usr/bin/chromium (.ci/run installs it)", pytrace=False)
        pytest.skip("no Chromium found (install Debian's chromium package, or set CHROMIUM=/path)")
    name = STUDENTS[-1]
    link = f"{hub.url}/hub/user-redirect/git-pull?{link_query(upstream)}"
    with bh.browser_page(chromium) as page:
        page.goto(link)  # not logged in: the hub's login page first
        page.fill("#username_input", name)
        page.fill("#password_input", "anything")  # the test-only authenticator lets anyone in
        page.click("#login_submit")
        page.wait_for_url(f"**/user/{name}/lab/tree/{course.COURSE_DIR}/**", timeout=120_000)
        page.wait_for_selector(".jp-NotebookPanel .jp-CodeCell", timeout=120_000)
        title = page.locator("#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel").inner_text()
        assert title == Path(course.chapter_file(CHAPTER)).name
        page.screenshot(path=str(bh.ARTIFACTS / "hub-student-lands-on-chapter.png"))


def course_settings(env):
    """The settings deploy/jupyterhub/course_config.py makes, loaded as JupyterHub loads it."""
    from traitlets.config import Config
    config = Config()
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        exec(hh.COURSE_CONFIG.read_text(encoding="utf-8"), {"get_config": lambda: config})
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return config


def test_the_kubernetes_values_say_what_course_config_says():
    import tomllib

    import yaml
    values = yaml.safe_load((ROOT / "deploy" / "jupyterhub" / "z2jh" / "config.yaml").read_text(encoding="utf-8"))
    user = values["singleuser"]
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert user["image"]["tag"] == f"v{version}", "the image is tagged with the course's version"
    spawner = course_settings({"LSTM_COURSE_REPO": "https://github.com/OWNER/lstm-step-by-step",
                               "LSTM_COURSE_REF": f"v{version}"}).Spawner
    assert urlsplit(user["defaultUrl"]).path == urlsplit(spawner.default_url).path == "/git-pull"
    assert parse_qs(urlsplit(user["defaultUrl"]).query) == parse_qs(urlsplit(spawner.default_url).query), \
        "the same link, pinned to the image's version"
    assert (user["memory"]["guarantee"], user["memory"]["limit"]) == (spawner.mem_guarantee, spawner.mem_limit)
    assert (user["cpu"]["guarantee"], user["cpu"]["limit"]) == (spawner.cpu_guarantee, spawner.cpu_limit)
    assert user["startTimeout"] == spawner.start_timeout
    assert values["hub"]["config"]["KubeSpawner"]["args"] == spawner.args
