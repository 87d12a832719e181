"""Every notebook under notebooks/ runs top to bottom on a fresh kernel, cleanly, and is committed stripped.

New notebooks are picked up by the glob: there is no list to maintain.
"""
import json
from pathlib import Path

import nbformat
import pytest

from notebook_runner import execute, run

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
IDS = [str(p.relative_to(ROOT / "notebooks")) for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_runs_without_errors_or_warnings(path, notebook_run):
    r = notebook_run(path)  # the same run the chapter's claims tests read
    print(f"{path.name}: {r.seconds:.1f} s")
    assert not r.problems, "\n".join(r.problems)
    assert r.values, "the probe after the last cell read no values back"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_is_committed_stripped(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for k, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert not cell.get("outputs") and cell.get("execution_count") is None, f"cell {k} carries outputs"
    assert "widgets" not in nb.get("metadata", {}), "saved widget state"
    src = "\n".join("".join(c["source"]) for c in nb["cells"])
    assert "sys.path" not in src, "import the installed package; do not edit sys.path"


def _notebook(tmp_path, *sources):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    path = tmp_path / "probe.ipynb"
    nbformat.write(nb, path)
    return path


def test_runner_passes_a_clean_notebook_and_runs_in_the_notebooks_folder(tmp_path):
    (tmp_path / "data.txt").write_text("here")
    path = _notebook(tmp_path, "import lstm_helpers\nprint(open('data.txt').read())")
    nb, problems, _ = execute(path)
    assert problems == []
    assert nb.cells[0].outputs[0]["text"].strip() == "here"


def test_runner_reports_errors_and_warnings(tmp_path):
    _, problems, _ = execute(_notebook(tmp_path, "1 / 0", "print('never')"))
    assert len(problems) == 1 and "ZeroDivisionError" in problems[0]
    _, problems, _ = execute(_notebook(tmp_path, "import warnings\nwarnings.warn('careful')"))
    assert len(problems) == 1 and "UserWarning" in problems[0]


def test_run_reads_the_notebooks_globals_back(tmp_path):
    path = _notebook(tmp_path, "import numpy as np\nx = np.arange(3.0)\nd = {1: 0.5, 'm': object()}\nname = 'ok'",
                     "_hidden = 1\nf = lambda: 0")
    r = run(path)
    assert r.problems == []
    assert r.values["x"] == [0.0, 1.0, 2.0] and r.values["d"] == {"1": 0.5} and r.values["name"] == "ok"
    assert "_hidden" not in r.values and "f" not in r.values
    assert len(r.nb.cells) == 2, "the probe cell is not left in the notebook"


CHAPTERS = [p for p in NOTEBOOKS if p.name[:2].isdigit()]
# The section's headings in each edition (notebooks/zh/ is the Chinese one).
QUESTIONS = {"en": ("## Questions students ask", "## Summary", "?"), "zh": ("## 学生常问的问题", "## 小结", "？")}


@pytest.mark.parametrize("path", CHAPTERS, ids=[str(p.relative_to(ROOT / "notebooks")) for p in CHAPTERS])
def test_chapter_answers_the_questions_students_ask(path):
    """A section "Questions students ask", right before the summary: at least five questions, each in bold."""
    heading, summary, mark = QUESTIONS["zh" if path.parent.name == "zh" else "en"]
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    headings = [("".join(c["source"]).splitlines() or [""])[0] for c in cells if c["cell_type"] == "markdown"]
    assert heading in headings, f"no section {heading!r}"
    at = headings.index(heading)
    assert headings[at + 1] == summary, f"the questions come right before the summary, not before {headings[at + 1]!r}"
    section = next("".join(c["source"]) for c in cells
                   if c["cell_type"] == "markdown" and "".join(c["source"]).startswith(heading))
    questions = [p for p in section.split("\n\n")[1:] if p.startswith("**")]
    assert len(questions) >= 5, f"{len(questions)} questions; at least five"
    for q in questions:
        bold = q[2:q.index("**", 2)] if "**" in q[2:] else ""
        assert bold.endswith(("?", mark)), f"a question starts each paragraph, in bold: {q[:80]!r}"
        assert len(q) > len(bold) + 40, f"an answer follows the question: {q[:80]!r}"
