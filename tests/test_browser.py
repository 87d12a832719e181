"""Every notebook in a real JupyterLab in Chromium: Run All, every explorer renders, a key press moves
a slider and changes what it shows, and the page logs no errors.

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
CHROMIUM = bh.find_chromium()

if CHROMIUM is None:
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but no Chromium found at /usr/bin/chromium (.ci/run installs it)", pytrace=False)
    pytest.skip("no Chromium found (install Debian's chromium package, or set CHROMIUM=/path)",
                allow_module_level=True)

# JupyterLab's own console noise on a machine without internet, not ours to fix.
BENIGN = (re.compile(r"Failed to load resource.*(pypi|github|jupyter\.org)"),)


@pytest.fixture(scope="module")
def lab():
    with bh.jupyterlab() as server:
        yield server


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_in_the_browser(lab, name):
    base, token, _ = lab
    bh.ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with bh.browser_page(CHROMIUM) as page:
        try:
            bh.open_and_run_all(page, base, token, name)
            text = page.inner_text(".jp-NotebookPanel:visible")
            for bad in bh.BAD_TEXT:
                assert bad not in text, f"{name}: {bad!r} on the page"
            assert not page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count(), \
                f"{name}: a cell printed to stderr"
            explorers = bh.explorer_outputs(page)
            for k in range(explorers.count()):
                out = explorers.nth(k)
                out.scroll_into_view_if_needed()
                before = bh.image_sources(out)
                assert before and all(src.startswith("data:image/png") or src.startswith("blob:")
                                      for src in before), f"{name}: explorer {k} shows no image"
                out.locator(".noUi-handle").first.focus()
                page.keyboard.press("ArrowRight")
                page.wait_for_function("([el, before]) => [...el.querySelectorAll('img')].some("
                                       "(img, j) => img.src !== before[j])",
                                       arg=[out.element_handle(), before], timeout=10_000)
        finally:
            page.screenshot(path=str(bh.ARTIFACTS / f"{Path(name).stem}.png"), full_page=True)
        errors = [e for e in page.errors if not any(b.search(e) for b in BENIGN)]
        assert not errors, "\n".join(errors)
