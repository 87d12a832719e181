"""The project's set-up files agree with each other and with the README."""
import re
import tomllib
from importlib import metadata
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]


def pyproject_dependencies(extra=None):
    """{name: Requirement} of the package's dependencies, or of one of its extras."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = project["dependencies"] if extra is None else project["optional-dependencies"][extra]
    return {Requirement(r).name.lower(): Requirement(r) for r in reqs}


def conda_environment():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pins, pip_section = {}, None
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip_section = dep["pip"]
            continue
        name, _, version = dep.partition("=")
        pins[name.strip().lower()] = version.strip()
    return env, pins, pip_section


def test_environment_yml_lists_the_same_packages_as_pyproject():
    env, pins, pip_section = conda_environment()
    deps = pyproject_dependencies() | pyproject_dependencies("lab")  # the package and the server it runs in
    assert env["channels"] == ["conda-forge"]
    assert pip_section == ["-e ."], "the pip section installs the package itself"
    conda_only = {"python", "pip"}
    assert set(pins) - conda_only == set(deps), (
        f"environment.yml has {sorted(set(pins) - conda_only)}, pyproject.toml has {sorted(deps)}")
    for name, req in deps.items():
        pin = pins[name]
        assert re.fullmatch(r"\d+\.\d+", pin), f"{name}={pin}: pin a minor version, like {name}=1.2"
        assert req.specifier.contains(Version(pin + ".0")), f"{name}={pin} is outside pyproject's {req}"
    assert re.fullmatch(r"3\.\d+", pins["python"])


# Jupyter servers and front ends: none may come with `pip install lstm_helpers` (on a hub, a per-user install
# would put a second one in ~/.local that can shadow the hub's single-user server).
SERVERS = {"jupyterlab", "notebook", "jupyter-server", "voila", "nbclassic", "jupyterhub", "jupyter",
           "jupyter-server-proxy", "jupyterlab-server"}


def test_installing_the_package_brings_no_jupyter_server():
    assert not SERVERS & set(map(canonicalize_name, pyproject_dependencies())), "a server in the dependencies"
    assert canonicalize_name("jupyterlab") in map(canonicalize_name, pyproject_dependencies("lab"))
    # everything the package's own dependencies require, as installed here, all the way down
    seen, todo = set(), [canonicalize_name(n) for n in pyproject_dependencies()]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for r in metadata.requires(name) or []:
            req = Requirement(r)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(canonicalize_name(req.name))
    assert "ipywidgets" in seen and "numpy" in seen
    assert not SERVERS & seen, f"pip install lstm_helpers would bring {sorted(SERVERS & seen)}"


def test_the_student_package_holds_no_model_answer(tmp_path):
    """What `pip install .` installs (the wheel of lstm_helpers) contains none of the exercises' answers;
    they are in instructor/ (lstm_course_instructor), which a class's install leaves out."""
    import subprocess
    import sys
    import zipfile
    from lstm_course_instructor import leaked
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "-w", str(tmp_path), str(ROOT)], check=True, capture_output=True)
    wheel, = tmp_path.glob("lstm_helpers-*.whl")
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        text = "\n".join(z.read(n).decode("utf-8", "replace") for n in names if n.endswith((".py", ".toml", ".txt")))
    assert not [n for n in names if "instructor" in n], "the instructor's package is not in the wheel"
    assert not leaked(text), f"model answers in the student package: {leaked(text)}"
    from lstm_course_instructor.grading import HIDDEN_DRAWS
    assert not [d for d in HIDDEN_DRAWS if str(d) in text], "the grader's hidden draws are not the students' to see"


def test_pyproject_python_floor_admits_environment_python():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    _, pins, _ = conda_environment()
    from packaging.specifiers import SpecifierSet
    assert SpecifierSet(project["requires-python"]).contains(pins["python"] + ".0")


def test_readme_gives_the_two_commands_and_ci_runs_the_test_one():
    for name in ("README.md", "README.zh.md"):  # the Chinese README gives the same two commands
        readme = (ROOT / name).read_text(encoding="utf-8")
        assert "python course.py lab" in readme and "python course.py test" in readme, name
        assert readme.index("python course.py lab") < readme.find("make lab"), f"{name}: the script is the first route"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.M), "CI runs the README's command"
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target, call in (("lab", "course.py lab"), ("test", "course.py test"), ("images", "course.py images")):
        assert re.search(rf"^{target}:\n\t\$\(PYTHON\) {call}", makefile, re.M), f"make {target} calls {call}"
    script = (ROOT / "course.py").read_text(encoding="utf-8")
    assert "127.0.0.1" in script and "token=''" not in script and 'token=""' not in script


def test_the_set_up_script_runs_what_the_readme_says():
    """course.py --dry-run prints its commands: the venv, the extras, the server on 127.0.0.1 at chapter 00."""
    import subprocess
    import sys
    script = str(ROOT / "course.py")
    out = subprocess.run([sys.executable, script, "--dry-run", "lab", "--edition", "zh"],
                         capture_output=True, text=True, check=True).stdout
    assert ("-m jupyterlab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=. "
            "--ServerApp.default_url=/lab/tree/notebooks/zh/00_overview.ipynb") in out
    out = subprocess.run([sys.executable, script, "--dry-run", "test", "-k", "lstm", "-x"],
                         capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1].endswith("-m pytest -k lstm -x")
    bad = subprocess.run([sys.executable, script, "lab", "--nonsense"], capture_output=True, text=True)
    assert bad.returncode == 2 and "unrecognized arguments: --nonsense" in bad.stderr


def test_the_link_command_prints_a_class_its_nbgitpuller_link():
    """`python course.py link` gives the address an instructor hands out (tests/test_hub.py follows it)."""
    import subprocess
    import sys
    script = str(ROOT / "course.py")
    out = subprocess.run([sys.executable, script, "link", "--hub", "https://hub.example.edu/", "--repo",
                          "https://git.example.edu/course.git", "--ref", "v0.2.0", "--chapter", "07", "--edition", "zh"],
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == (
        "https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgit.example.edu%2Fcourse.git"
        "&branch=v0.2.0&targetpath=lstm-step-by-step"
        "&urlpath=lab%2Ftree%2Flstm-step-by-step%2Fnotebooks%2Fzh%2F07_lstm_step_through.ipynb")
    bad = subprocess.run([sys.executable, script, "link", "--hub", "https://h", "--repo", "r", "--chapter", "42"],
                         capture_output=True, text=True)
    assert bad.returncode != 0 and "--chapter '42': expected one notebook in notebooks/" in bad.stderr


def test_the_class_copy_has_the_course_without_answers_or_tests(tmp_path):
    """`python course.py class-repo DEST` writes the repository a class's link pulls: the committed course
    without instructor/ (the answers) and the tests, as one commit; in it, `course.py lab` installs the
    course alone and `course.py test` says where the tests are. (tests/test_hub.py gives it to a class.)"""
    import subprocess
    import sys
    dest = tmp_path / "class"
    out = subprocess.run([sys.executable, str(ROOT / "course.py"), "class-repo", str(dest)],
                         capture_output=True, text=True, check=True).stdout
    assert "course.py link --hub URL --repo" in out
    from browser_harness import course as load_course
    course = load_course()
    assert not [p for p in course.NOT_FOR_CLASS if (dest / p).exists()]
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    kept = [p for p in tracked if p.split("/")[0] not in course.NOT_FOR_CLASS]
    assert sorted(kept) == sorted(subprocess.run(["git", "ls-files"], cwd=dest, capture_output=True, text=True,
                                                 check=True).stdout.split()), "everything else, as committed"
    log = subprocess.run(["git", "log", "--format=%s"], cwd=dest, capture_output=True, text=True, check=True).stdout
    assert len(log.splitlines()) == 1 and "for the class" in log
    lab = subprocess.run([sys.executable, "course.py", "--dry-run", "lab"], cwd=dest, capture_output=True,
                         text=True, check=True).stdout
    assert "-e .[lab]" in lab and "instructor" not in lab
    test = subprocess.run([sys.executable, "course.py", "test"], cwd=dest, capture_output=True, text=True)
    assert test.returncode != 0 and "without the tests" in test.stderr
    again = subprocess.run([sys.executable, str(ROOT / "course.py"), "class-repo", str(dest)], capture_output=True,
                           text=True)
    assert again.returncode != 0 and "is not empty" in again.stderr
    bad = subprocess.run([sys.executable, str(ROOT / "course.py"), "class-repo", str(tmp_path / "other"), "--ref",
                          "v99.0.0"], capture_output=True, text=True)
    assert bad.returncode != 0 and "--ref 'v99.0.0': no such commit" in bad.stderr
    assert not (tmp_path / "other").exists(), "nothing written for a bad ref"


def study_minutes(path):
    """README's estimate of a chapter's time: prose at 100 words a minute, 10 min per exercise, 3 per
    prediction (exercises.check("predict_...")), rounded to 5 minutes."""
    import json
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    prose = " ".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    checked = set(re.findall(r'check\(\s*"(\w+)"', code))
    predictions = sum(name.startswith("predict") for name in checked)
    minutes = len(re.findall(r"[A-Za-z]+", prose)) / 100 + 10 * (len(checked) - predictions) + 3 * predictions
    return 5 * round(minutes / 5)


def test_the_chapter_tables_give_each_chapters_estimated_time():
    for name, time in (("README.md", r"about (\d+) min"), ("README.zh.md", r"约 (\d+) 分钟")):
        rows = re.findall(r"^\| (?:\d\d|–) \| \[[^]]*\]\(notebooks/(?:zh/)?([\w.]+\.ipynb)\).*\| " + time + r" \|$",
                          (ROOT / name).read_text(encoding="utf-8"), re.M)
        assert len(rows) == len(list((ROOT / "notebooks").glob("*.ipynb"))), f"{name}: a time for every notebook"
        for notebook, minutes in rows:
            assert int(minutes) == study_minutes(ROOT / "notebooks" / notebook), f"{name}: {notebook}"
    total = sum(study_minutes(p) for p in (ROOT / "notebooks").glob("[0-9]*.ipynb"))
    assert round(total / 60) == 11, "README: the eleven chapters come to about 11 hours"
    first = [study_minutes(p) for p in sorted((ROOT / "notebooks").glob("0[0-7]*.ipynb"))]
    assert max(first) <= 60 and study_minutes(next((ROOT / "notebooks").glob("08*.ipynb"))) <= 120, \
        "README: a two-hour session fits two of chapters 00-07, or chapter 08 alone"


def test_one_version_in_pyproject_package_citation_and_changelog():
    """A class pins a version: pyproject, lstm_helpers.__version__, CITATION.cff and the changelog's newest
    entry name the same one; LICENSE says what covers code, prose, data and the font."""
    import lstm_helpers
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert lstm_helpers.__version__ == version
    import lstm_course_instructor
    instructor = tomllib.loads((ROOT / "instructor" / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert instructor["version"] == lstm_course_instructor.__version__ == version, "the answers go with their version"
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert str(citation["version"]) == version and citation["cff-version"] == "1.2.0"
    newest = re.search(r"^## (\S+)", (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), re.M).group(1)
    assert newest == version, f"CHANGELOG.md's newest entry is {newest}, the package is {version}"
    released = re.findall(r"^## (\S+) \((\d{4}-\d\d-\d\d)\)", (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), re.M)
    assert released, "CHANGELOG.md dates each released version: ## 0.1.0 (2026-11-30)"
    import subprocess
    tags = subprocess.run(["git", "-C", str(ROOT), "tag", "--list", "v*"], capture_output=True, text=True).stdout.split()
    if tags:  # a clone with its tags (a shallow clone or a download has none)
        missing = [v for v, _ in released if f"v{v}" not in tags]
        assert not missing, f"released versions without a git tag v<version>: {missing}"
    licence = " ".join((ROOT / "LICENSE").read_text(encoding="utf-8").split())
    for part in ("MIT License", "CC BY 4.0", "SIL Open Font License", "CC BY-SA 4.0", "PSF License"):
        assert part in licence, part
