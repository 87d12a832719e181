"""Execute a notebook on a fresh kernel and list what a student would see go wrong."""
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

# Text in a stderr stream that means something went wrong (warnings print there).
WARNING_MARKERS = ("Warning", "Error", "Traceback")


def problems_in(nb):
    """Error outputs and warnings printed to stderr, cell by cell."""
    found = []
    for k, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                found.append(f"cell {k}: {out.get('ename')}: {out.get('evalue')}")
            elif out.get("output_type") == "stream" and out.get("name") == "stderr":
                text = "".join(out.get("text", ""))
                if any(m in text for m in WARNING_MARKERS):
                    found.append(f"cell {k}: stderr: {text.strip()[:500]}")
    return found


def execute(path, cell_timeout=300):
    """Run every cell of the notebook at ``path`` in its own folder, on a fresh python3 kernel.

    Returns
    -------
    nb : the executed notebook (outputs filled in; nothing is written to disk)
    problems : list of str, empty when every cell ran cleanly
    seconds : float, wall time of the whole run
    """
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=cell_timeout, kernel_name="python3", allow_errors=False,
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    problems = []
    try:
        client.execute()
    except CellTimeoutError as exc:
        problems.append(f"a cell ran past {cell_timeout} s: {str(exc)[:300]}")
    except CellExecutionError:
        pass  # the error output is in the notebook; problems_in reports it
    problems += problems_in(nb)
    return nb, problems, time.perf_counter() - start
