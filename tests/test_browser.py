"""Every notebook, in both editions, in a real JupyterLab in Chromium: Run All, every explorer renders, a
key press moves a slider and changes what it shows, the page logs no errors, and in the Chinese edition
Chromium draws every Chinese character of the outputs (no box). Every notebook also as a Voila app, where
the explorers must work the same and the figures must load; the widgets gallery also in Notebook 7.

Skipped with a reason when no Chromium is installed, except under CI=true, where that is a failure
(.ci/run installs Debian's chromium package).
"""
import os
import re
from pathlib import Path

import pytest

import browser_harness as bh

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
# The Chinese edition: the same notebooks under zh/, whose widgets must draw every Chinese glyph.
NOTEBOOKS += sorted(f"zh/{p.name}" for p in (ROOT / "notebooks" / "zh").glob("*.ipynb"))
GALLERY = "widgets_gallery.ipynb"
# The gallery's explorers with a slider: GateExplorer, GRUExplorer, SequenceStepper, GradientFlowExplorer, GateDemo,
# ForgetSurvivalExplorer, GradientCheckExplorer, SampleExplorer.
GALLERY_EXPLORERS = 8
CHROMIUM = bh.find_chromium()

if CHROMIUM is None:
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but no Chromium found at /usr/bin/chromium (.ci/run installs it)", pytrace=False)
    pytest.skip("no Chromium found (install Debian's chromium package, or set CHROMIUM=/path)",
                allow_module_level=True)

# Console errors that are not ours: this machine has no internet (JupyterLab's news and PyPI look-ups,
# Voila's Font Awesome stylesheet from cdn.jsdelivr.net), and Voila failing to load lab extensions its
# page cannot host (module federation RUNTIME-012, or a missing JupyterLab service): the notebook
# package's, and jupytext's and ipylab's, which otter-grader brings into the test environment (the
# instructor's grading extra; a student's install has neither).
BENIGN = (re.compile(r"Failed to load resource: net::ERR_NAME_NOT_RESOLVED"),
          re.compile(r"Failed to load resource.*(pypi|github|jupyter\.org)"),
          re.compile(r"RUNTIME-012.*(@jupyter-notebook/lab-extension|jupyterlab-jupytext)", re.S),
          re.compile(r"Plugin 'ipylab:plugin' failed to activate"))
# Notebook 7.6 raises this while loading its settings on every page, /tree included (no widget of ours
# there); seen with notebook 7.6.5 and JupyterLab 4.6.6.
BENIGN_NOTEBOOK7 = (re.compile(r"page error: Cannot read properties of undefined \(reading 'schema'\)"),)


def explorers_work(page, name, move="key"):
    """Every explorer shows an image, and moving its first slider changes it.

    move="key": focus the handle and press ArrowRight; move="click": click the slider's track
    (in Notebook 7 the arrow keys do not reach a focused slider here; a click does).
    """
    text = "\n".join(page.locator(".jp-OutputArea").all_inner_texts())  # outputs only: the prose may quote it
    for bad in bh.BAD_TEXT:
        assert bad not in text, f"{name}: {bad!r} in an output"
    assert not page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count(), \
        f"{name}: a cell printed to stderr"
    explorers = bh.explorer_outputs(page)
    n = explorers.count()
    for k in range(n):
        out = explorers.nth(k)
        out.scroll_into_view_if_needed()
        before = bh.image_sources(out)
        assert before and all(src.startswith(("data:image/png", "blob:")) for src in before), \
            f"{name}: explorer {k} shows no image"
        if move == "key":
            out.locator(".noUi-handle").first.focus()
            page.keyboard.press("ArrowRight")
        else:
            box = out.locator(".noUi-base").first.bounding_box()
            page.mouse.click(box["x"] + 0.3 * box["width"], box["y"] + box["height"] / 2)
        page.wait_for_function("([el, before]) => [...el.querySelectorAll('img')].some((img, j) => img.src !== "
                               "before[j])", arg=[out.element_handle(), before], timeout=30_000)
    return n


def no_errors(page, benign=BENIGN):
    errors = [e for e in page.errors if not any(b.search(e) for b in benign)]
    assert not errors, "\n".join(errors)


def code_mentions_widgets(name):
    return "widgets." in (ROOT / "notebooks" / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def lab():
    with bh.jupyterlab() as server:
        yield server


def run_in(page, base, token, name, ui):
    bh.ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        bh.open_and_run_all(page, base, token, name, ui=ui)
        n = explorers_work(page, name, move="key" if ui == "lab" else "click")
        assert n > 0 or not code_mentions_widgets(name), f"{name}: its explorers did not render"
        if name.startswith("zh/"):
            checked, boxes = bh.cjk_boxes(page)
            assert checked > 0 or n == 0, f"{name}: no Chinese text in its outputs"
            assert not boxes, f"{name}: the browser drew these characters as boxes: {boxes}"
    finally:
        page.screenshot(path=str(bh.ARTIFACTS / f"{name.removesuffix('.ipynb').replace('/', '-')}-{ui}.png"))
    no_errors(page, BENIGN + (BENIGN_NOTEBOOK7 if ui == "notebook7" else ()))


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_in_jupyterlab(lab, name):
    base, token, _ = lab
    try:
        with bh.browser_page(CHROMIUM) as page:
            run_in(page, base, token, name, "lab")
    finally:
        bh.shut_down_kernels(base, token)  # idle kernels of earlier notebooks would only take memory


def test_gallery_in_notebook7():
    """A server of its own: JupyterLab's saved workspace would otherwise confuse Notebook 7."""
    with bh.jupyterlab() as (base, token, _), bh.browser_page(CHROMIUM) as page:
        run_in(page, base, token, GALLERY, "notebook7")


@pytest.fixture(scope="module")
def voila():
    """A server of its own: the apps' kernels do not share a machine with the JupyterLab tests' kernels."""
    with bh.jupyterlab() as server:
        yield server


def figures_shown(page):
    """(figures the page's prose shows, of which decoded): the chapters' static images from images/."""
    page.wait_for_function("() => [...document.querySelectorAll('.jp-MarkdownOutput img')].every(i => i.complete)",
                           timeout=60_000)
    return page.locator(".jp-MarkdownOutput img").evaluate_all(
        "els => [els.length, els.filter(i => i.naturalWidth > 0).length]")


def widget_outputs(run):
    """How many outputs of a run display a widget."""
    return sum("application/vnd.jupyter.widget-view+json" in o.get("data", {})
               for c in run.nb.cells for o in c.get("outputs", []))


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_in_voila(voila, name, notebook_run):
    """Every chapter as an app, in both editions: Voila runs it without an error, its figures load from
    images/, its equations are typeset, and every explorer renders and answers its slider (a key press
    changes its picture)."""
    base, token, _ = voila
    try:
        with bh.browser_page(CHROMIUM) as page:
            try:
                bh.open_voila(page, base, token, name, widgets=widget_outputs(notebook_run(ROOT / "notebooks" / name)))
                text = page.inner_text("body")
                assert "There was an error when executing cell" not in text, f"{name}: a cell failed in Voila"
                refs = len(re.findall(r"\.\./images/[\w/.-]+\.png", (ROOT / "notebooks" / name).read_text("utf-8")))
                assert figures_shown(page) == [refs, refs], f"{name}: of {refs} figures, these loaded"
                page.wait_for_function("() => ![...document.querySelectorAll('.jp-MarkdownOutput')].some("
                                       "m => m.innerText.includes('$'))", timeout=120_000)  # every equation typeset
                n = explorers_work(page, name)
                assert n > 0 or not code_mentions_widgets(name), f"{name}: its explorers did not render"
                if name.endswith(GALLERY):
                    assert n == GALLERY_EXPLORERS
                if name.startswith("zh/"):
                    checked, boxes = bh.cjk_boxes(page)
                    assert checked > 0 or n == 0, f"{name}: no Chinese text in its outputs"
                    assert not boxes, f"{name}: the browser drew these characters as boxes: {boxes}"
            finally:
                bh.ARTIFACTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(bh.ARTIFACTS / f"{name.removesuffix('.ipynb').replace('/', '-')}-voila.png"))
        no_errors(page)
    finally:
        bh.shut_down_kernels(base, token)  # a closed Voila page may leave its kernel running
