"""The graded track, built and graded for every chapter (lstm_course_instructor.assign, otter-grader).

The build turns each chapter into an otter-grader master and runs `otter assign`. The student notebook it
writes must be the course's notebook, cell for cell (the course's notebooks are the student edition). Then
`otter run` grades three submissions of every chapter in a fresh kernel: the notebook with the model answers
earns every point; the notebook as a student gets it earns none, and so does a wrong one (every answer a
little off). Every wrong answer of the chapters' catalogues earning nothing is tests/test_grading.py's, with
the same checks the autograder's tests call.

Skipped with a reason when otter-grader is missing, except under CI=true, where that is a failure
(`python course.py test` installs it with the instructor's package).
"""
import importlib.util
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

MISSING = next((m for m in ("otter", "lstm_course_instructor") if importlib.util.find_spec(m) is None), None)
if MISSING:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {MISSING} is not installed (course.py test installs it)", pytrace=False)
    pytest.skip(f"{MISSING} is not installed (python course.py test installs it)", allow_module_level=True)

from lstm_course_instructor import assign, grading  # noqa: E402 (after the check that it is there)
from lstm_course_instructor.solutions import SOLUTIONS  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = assign.chapters()


@pytest.fixture(scope="module")
def track(tmp_path_factory):
    out = tmp_path_factory.mktemp("assignments")
    return {f.name: f for f in assign.build(out, CHAPTERS)}


def possible(path):
    """{exercise: points} of a chapter: 1 for the self-check, 1 for each hidden draw of a written function."""
    code = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
    names = assign.CHECK.findall(code)
    return {name: 1 + (len(grading.HIDDEN_DRAWS) if "def " in SOLUTIONS[name] else 0) for name, _ in names}


def test_every_chapter_has_exercises_and_the_track_covers_them():
    assert len(CHAPTERS) == 11
    assert sorted(n for p in CHAPTERS for n in possible(p)) == sorted(SOLUTIONS)


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_the_student_notebook_is_the_chapter(track, path):
    student = nbformat.read(track[path.stem] / "dist" / "student" / path.name, as_version=4)
    chapter = nbformat.read(path, as_version=4)
    assert [(c.cell_type, c.get("id"), c.source) for c in student.cells] == \
           [(c.cell_type, c.get("id"), c.source) for c in chapter.cells]
    answers = "\n".join(c.source for c in nbformat.read(track[path.stem] / "dist" / "autograder" / path.name,
                                                          as_version=4).cells)
    assert all(SOLUTIONS[n].splitlines()[0] in answers for n in possible(path)), "the autograder's copy has them"


# Put into each answer cell of a wrong submission: every answer a little off (a number 1% and 0.01 off, a
# whole number one more, a mask flipped, a choice another option), a function's answer for every input.
WRONG = """
def _off(v):
    import functools, numpy as np
    if callable(v):
        return functools.wraps(v)(lambda *args: _off(v(*args)))
    if isinstance(v, dict):
        return {k: _off(x) for k, x in v.items()}
    if isinstance(v, (tuple, list)):
        return type(v)(_off(x) for x in v)
    if isinstance(v, str):
        return {"LSTM": "RNN", "1e-5": "1e-3", "many-to-one": "one-to-one"}.get(v, v)
    if isinstance(v, (bool, np.bool_)) or (isinstance(v, np.ndarray) and v.dtype == bool):
        return ~v if isinstance(v, np.ndarray) else not v
    if isinstance(v, (int, np.integer)) or (isinstance(v, np.ndarray) and v.dtype.kind in "iu"):
        return v + 1
    return v * 1.01 + 0.01
"""


def wrong_submission(model, out):
    """The notebook with the model answers, each answer passed to its check through WRONG's _off."""
    nb = nbformat.read(model, as_version=4)
    for cell in nb.cells:
        found = assign.CHECK.search(cell.source) if cell.cell_type == "code" else None
        if found:
            answer = found.group(2)
            cell.source = (cell.source[:found.start()] + WRONG + f"{answer} = _off({answer})\n"
                           + cell.source[found.start():])
    nbformat.write(nb, out)
    return out


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_the_model_answers_earn_every_point_and_blank_or_wrong_ones_none(track, path, tmp_path):
    folder = track[path.stem]
    zip_path = assign.autograder(folder)
    model = folder / "dist" / "autograder" / path.name
    submissions = {"model": model, "blank": folder / "dist" / "student" / path.name,
                   "wrong": wrong_submission(model, tmp_path / path.name)}
    with ThreadPoolExecutor(2) as pool:  # one kernel each
        scores = dict(zip(submissions, pool.map(lambda kind: assign.grade(zip_path, submissions[kind], tmp_path / kind),
                                                submissions)))
    want = possible(path)
    assert scores["model"] == {n: (p, p) for n, p in want.items()}, scores["model"]
    assert scores["blank"] == {n: (0, p) for n, p in want.items()}, scores["blank"]
    assert scores["wrong"] == {n: (0, p) for n, p in want.items()}, scores["wrong"]


def test_an_instructor_grades_a_class_and_gets_a_csv(track, tmp_path):
    """The command docs/instructors.md gives: grade several notebooks, one CSV row each."""
    import csv
    import subprocess
    import sys
    path = next(p for p in CHAPTERS if p.name.startswith("05"))
    folder = track[path.stem]
    subprocess.run([sys.executable, "-m", "lstm_course_instructor.assign", "grade", str(assign.autograder(folder)),
                    str(folder / "dist" / "autograder" / path.name), str(folder / "dist" / "student" / path.name),
                    "--csv", str(tmp_path / "scores.csv"), "--results", str(tmp_path / "results")],
                   check=True, capture_output=True, text=True)
    rows = list(csv.DictReader(open(tmp_path / "scores.csv", encoding="utf-8")))
    total = sum(possible(path).values())
    assert [(float(r["total"]), float(r["possible"])) for r in rows] == [(total, total), (0, total)]
    assert set(possible(path)) <= set(rows[0]), "a column per exercise"


def test_the_chinese_edition_builds_and_grades_the_same(tmp_path):
    """`assign build --edition zh`: the student notebook is the Chinese chapter, and the grades are those of
    the English one (the same code, cell for cell)."""
    import subprocess
    import sys
    path = next(p for p in assign.chapters("zh") if p.name.startswith("05"))
    subprocess.run([sys.executable, "-m", "lstm_course_instructor.assign", "build", str(tmp_path / "zh"),
                    "--chapters", "05", "--edition", "zh"], check=True, capture_output=True, text=True)
    folder = tmp_path / "zh" / path.stem
    student = nbformat.read(folder / "dist" / "student" / path.name, as_version=4)
    assert [c.source for c in student.cells] == [c.source for c in nbformat.read(path, as_version=4).cells]
    want = possible(path)
    zip_path = assign.autograder(folder)
    assert assign.grade(zip_path, folder / "dist" / "autograder" / path.name, tmp_path / "model") == \
        {n: (p, p) for n, p in want.items()}
    assert assign.grade(zip_path, folder / "dist" / "student" / path.name, tmp_path / "blank") == \
        {n: (0, p) for n, p in want.items()}
