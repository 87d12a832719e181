"""The graded track: one otter-grader master per chapter, built from the chapter and the model answers.

    python -m lstm_course_instructor.assign build OUT [--chapters 05 07] [--edition zh]
    python -m lstm_course_instructor.assign grade AUTOGRADER.zip SUBMISSION.ipynb ... [--csv scores.csv]

For each chapter, ``master(path)`` turns the course's notebook into an otter-grader master notebook: every
cell that calls ``exercises.check("name", answer)`` becomes a question whose prompt is the chapter's own
cell (the template and its self-check), whose solution is the model answer (``SOLUTIONS``), and whose
tests are the self-check (1 point, visible) and, for an answer that is a function, the same check on
each of the grader's hidden draws (1 point each; ``grading.hidden_check``). Then ``otter assign`` writes
OUT/<chapter>/dist/student/ (the notebook a student gets: the course's notebook, cell for cell) and
OUT/<chapter>/dist/autograder/ (the notebook with the model answers, and the autograder zip that
``otter run`` grades a submission with; ``grade`` below). Why otter-grader rather than nbgrader: a master is one notebook, grading needs
no database or exchange, and ``otter run`` grades on the instructor's machine without Docker.
"""
import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat

from .grading import HIDDEN_DRAWS, has_hidden_cases
from .solutions import SOLUTIONS

ROOT = Path(__file__).resolve().parents[2]  # the repository (instructor/ is in it)
CHECK = re.compile(r'exercises\.check\("(\w+)",\s*(\w+)\)')


def chapters(edition="en"):
    """The course's chapter notebooks (not the widgets gallery) of an edition."""
    folder = ROOT / "notebooks" / ("zh" if edition == "zh" else "")
    return sorted(folder.glob("[0-9][0-9]_*.ipynb"))


def _raw(text):
    return nbformat.v4.new_raw_cell(text)


def _test(code, hidden=False):
    config = '""" # BEGIN TEST CONFIG\npoints: 1\n' + ("hidden: true\n" if hidden else "") + '""" # END TEST CONFIG\n'
    return nbformat.v4.new_code_cell(config + code)


def master(path):
    """The otter-grader master notebook of the chapter at ``path``."""
    chapter = nbformat.read(path, as_version=4)
    name = f"ch{path.name[:2]}"
    cells = [_raw(f"# ASSIGNMENT CONFIG\nname: {name}\ninit_cell: false\ncheck_all_cell: false\n"
                  f"export_cell: false\nsolutions_pdf: false\nrun_tests: false\ngenerate: true\n")]
    for cell in chapter.cells:
        found = CHECK.search(cell.source) if cell.cell_type == "code" else None
        if not found:
            cells.append(cell)
            continue
        exercise, answer = found.groups()
        hidden = len(HIDDEN_DRAWS) if has_hidden_cases(exercise) else 0
        prompt = [cells.pop()] if cells[-1].cell_type == "markdown" else []  # the exercise's text
        before, check = cell.source[:found.start()], cell.source[found.start():]
        template = before.rstrip("\n")
        gap = before[len(template) + 1:]  # the blank lines between the template and its check, kept as they are
        solution = nbformat.v4.new_code_cell(
            f"# BEGIN SOLUTION NO PROMPT\n{SOLUTIONS[exercise]}\n# END SOLUTION\n"
            f'""" # BEGIN PROMPT\n{template}\n""" # END PROMPT\n{gap}{check}')
        solution.id = cell.id  # the student's cell keeps its id
        cells += [_raw(f"# BEGIN QUESTION\nname: {exercise}\npoints: {1 + hidden}\ncheck_cell: false"),
                  *prompt, _raw("# BEGIN SOLUTION"), solution, _raw("# END SOLUTION"), _raw("# BEGIN TESTS"),
                  _test(f'assert exercises.check("{exercise}", {answer})')]
        cells += [_test(f"from lstm_course_instructor.grading import hidden_check\n"
                        f'assert hidden_check("{exercise}", {answer}, {k})', hidden=True) for k in range(hidden)]
        cells += [_raw("# END TESTS"), _raw("# END QUESTION")]
    return nbformat.v4.new_notebook(cells=cells, metadata=chapter.metadata)


def build(out, paths):
    """Write OUT/<chapter>/<chapter>.ipynb (the master) and run otter assign into OUT/<chapter>/dist/;
    returns the chapter folders. The student notebook is dist/student/<chapter>.ipynb."""
    built = []
    for path in paths:
        folder = Path(out) / path.stem
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(master(path), folder / path.name)
        subprocess.run([sys.executable, "-m", "otter", "assign", "--no-pdfs", path.name, "dist"],
                       cwd=folder, check=True, capture_output=True, text=True)
        built.append(folder)
    return built


def autograder(folder):
    """The autograder zip otter assign wrote for a chapter folder of ``build``."""
    zips = sorted((Path(folder) / "dist" / "autograder").glob("*-autograder_*.zip"))  # otter names it by the time
    if not zips:
        raise FileNotFoundError(f"no autograder zip in {folder}/dist/autograder (run build first)")
    return zips[-1]


def grade(zip_path, submission, out_dir):
    """Grade one submitted notebook with ``otter run`` (a fresh kernel, no Docker): {question: (score, max)}."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "otter", "run", "--no-logo", "-a", str(zip_path), "-o", str(out_dir),
                    str(submission)], check=True, capture_output=True, text=True)
    results = json.loads((out_dir / "results.json").read_text(encoding="utf-8"))
    return {t["name"]: (t["score"], t["max_score"]) for t in results["tests"] if "score" in t}


def write_scores(zip_path, submissions, csv_path, out_dir):
    """Grade each submission and write one CSV row per submission: its file, each question's points, total."""
    import csv
    rows = []
    for k, submission in enumerate(submissions):
        scores = grade(zip_path, submission, Path(out_dir) / f"{k:04d}")
        rows.append({"submission": str(submission), **{q: s for q, (s, _) in scores.items()},
                     "total": sum(s for s, _ in scores.values()), "possible": sum(m for _, m in scores.values())})
    with open(csv_path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m lstm_course_instructor.assign", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="write the assignments: OUT/<chapter>/dist/student and dist/autograder")
    b.add_argument("out", help="the folder to write the assignments to")
    b.add_argument("--chapters", nargs="*", help="chapter numbers, e.g. 05 07 (default: every chapter)")
    b.add_argument("--edition", choices=("en", "zh"), default="en")
    g = sub.add_parser("grade", help="grade submitted notebooks with a chapter's autograder zip; scores to a CSV")
    g.add_argument("autograder", help="OUT/<chapter>/dist/autograder/<chapter>-autograder_....zip")
    g.add_argument("submissions", nargs="+", help="the students' notebooks")
    g.add_argument("--csv", default="scores.csv", help="where to write the scores (default scores.csv)")
    g.add_argument("--results", default="otter-results", help="folder for otter's results.json of each submission")
    args = parser.parse_args(argv)
    if args.command == "build":
        paths = [p for p in chapters(args.edition) if not args.chapters or p.name[:2] in args.chapters]
        for folder in build(args.out, paths):
            print(f"{folder}/dist/student/  {folder}/dist/autograder/{autograder(folder).name}")
    else:
        rows = write_scores(args.autograder, args.submissions, args.csv, args.results)
        for row in rows:
            print(f"{row['submission']}: {row['total']}/{row['possible']}")
        print(f"scores: {args.csv}")


if __name__ == "__main__":
    main()
