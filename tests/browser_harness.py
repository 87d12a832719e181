"""A real JupyterLab on 127.0.0.1 driven by Debian's Chromium through Playwright.

The server runs on a temporary copy of notebooks/ (autosave must never write
outputs into the originals), with its own runtime, settings and workspace
folders. ../shared/DESIGN.md lists the flags and selectors known to work here.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import warnings
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BAD_TEXT = ("Error displaying widget", "model not found")


def find_chromium():
    env = os.environ.get("CHROMIUM")
    for path in ((env,) if env else ()) + CHROMIUM_CANDIDATES:
        if path and os.access(path, os.X_OK):
            return path
    return None


def course():
    """The repository's course.py (the set-up script), as a module."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("course", ROOT / "course.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def jupyterlab(timeout=90):
    """Start JupyterLab (which also serves Notebook 7, and Voila's apps) on a copy of notebooks/ and images/.

    The copy keeps the repository's layout, so the chapters' ../images/ links resolve as they do
    under `make lab`. Yields (base_url, token, root); notebooks are at notebooks/<name> under the root.
    """
    tmp = Path(tempfile.mkdtemp(prefix="lstm-browser-"))
    root = tmp / "course"
    for folder in ("notebooks", "images"):
        shutil.copytree(ROOT / folder, root / folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    settings = tmp / "settings"
    for plugin, values in {
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                            "checkForUpdates": False},
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none",
                                                                       "autoStartDefaultKernel": True},
    }.items():
        path = settings / plugin
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    port, token = _free_port(), os.urandom(16).hex()
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp / "runtime"), JUPYTERLAB_SETTINGS_DIR=str(settings),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"))
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
           "--ServerApp.allow_root=True", f"--ServerApp.root_dir={root}", course().OFFLINE_MATH]
    log = open(tmp / "server.log", "w")
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + timeout
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=10)
                break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError("JupyterLab did not start:\n" + (tmp / "server.log").read_text()[-3000:])
                time.sleep(0.5)
        yield base, token, root
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)


@contextmanager
def browser_page(chromium):
    """A Chromium page with a tall viewport; collects page errors and console errors."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1900})
            page.errors = []
            page.on("pageerror", lambda exc: page.errors.append(f"page error: {exc}"))
            page.on("console", lambda msg: page.errors.append(f"console {msg.type}: {msg.text}")
                    if msg.type == "error" else None)
            yield page
        finally:
            browser.close()


UIS = {  # how to open a notebook
    # ?reset: a fresh workspace, or JupyterLab reopens the tabs of the previous test beside this one
    "lab": "{base}/lab/tree/notebooks/{name}?reset&token={token}",
    "notebook7": "{base}/notebooks/notebooks/{name}?token={token}",
}
RUN_ALL = ".lm-Menu-item[data-command='runmenu:run-all']"
# every code cell has an execution count once it has run ([*] while queued or running, [ ] before)
PROMPTS = """() => {
    const panel = [...document.querySelectorAll('.jp-NotebookPanel')].find(p => p.offsetParent !== null);
    return panel ? [...panel.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')].map(p => p.textContent) : [];
}"""


def _api(base, token, path):
    with urllib.request.urlopen(f"{base}/api/{path}?token={token}", timeout=10) as r:
        return json.loads(r.read())


def kernel_state(base, token, name):
    """The execution state of the kernel of notebooks/<name>, from the server's REST API (None: no kernel yet)."""
    for s in _api(base, token, "sessions"):
        if s.get("path", "").endswith(f"notebooks/{name}") and s.get("kernel"):
            return _api(base, token, f"kernels/{s['kernel']['id']}").get("execution_state")
    return None


def shut_down_kernels(base, token):
    """Shut down every kernel of the server (a closed Voila page may leave its kernel running)."""
    for kernel in _api(base, token, "kernels"):
        req = urllib.request.Request(f"{base}/api/kernels/{kernel['id']}?token={token}", method="DELETE")
        try:
            urllib.request.urlopen(req, timeout=30).close()
        except OSError:
            pass  # it went on its own meanwhile


def wait_until(condition, timeout_s, what, interval_s=0.25):
    """Poll ``condition()`` until it is true; a state wait, never a fixed sleep."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout_s:.0f} s for {what}")
        time.sleep(interval_s)


def open_and_run_all(page, base, token, name, ui="lab", timeout_ms=240_000):
    """Open notebook ``name`` in JupyterLab or Notebook 7, wait for an idle kernel, Run All, wait until done.

    Every wait is on a state: the kernel's execution state from the server's API (the page's status
    text can lag or be skipped on a busy machine), the Run All menu item being enabled (a click on a
    disabled item does nothing and would leave the test waiting for cells that never run), and every
    code cell's prompt holding an execution count.
    """
    timeout_s = timeout_ms / 1000
    page.goto(UIS[ui].format(base=base, name=name, token=token))
    page.wait_for_selector(".jp-NotebookPanel .jp-CodeCell", timeout=timeout_ms)
    wait_until(lambda: kernel_state(base, token, name) == "idle", timeout_s, f"the kernel of {name} to be idle")
    for attempt in range(3):
        page.click(".lm-MenuBar-itemLabel:text-is('Run')")
        page.wait_for_selector(f"{RUN_ALL}:not(.lm-mod-disabled)", timeout=timeout_ms)
        page.click(RUN_ALL)
        try:  # Run All took: some cell is queued, running or done
            page.wait_for_function(f"() => ({PROMPTS})().some(t => /\\[(\\*|\\d+)\\]/.test(t))", timeout=30_000)
            break
        except Exception:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")  # close the menu if it is still open, and try again
    page.wait_for_function(f"() => {{ const p = ({PROMPTS})(); return p.length > 0 && "
                           f"p.every(t => /\\[\\d+\\]/.test(t)); }}", timeout=timeout_ms)
    wait_until(lambda: kernel_state(base, token, name) == "idle", timeout_s, f"the kernel of {name} to finish")


# Voila 0.5.13's widget manager sometimes fails to restore the kernel's widgets when the page connects: every
# widget shows "Error displaying widget: model not found", or none renders at all. Seen on 5 of about 100 loads
# of chapters 08 and zh/09 on this machine (in two CI runs, once each; in diagnosis runs, 3 of 54), never in
# JupyterLab. A reload (a new kernel) renders them; README.md tells students the same.
VOILA_RESTORE_FAILED = "Error displaying widget: model not found"
_RENDERED = ("n => [...document.querySelectorAll('.jp-OutputArea-output')].filter(o => o.querySelector("
             "'.jupyter-widgets') && !o.innerText.includes('Error displaying widget')).length >= n")


def open_voila(page, base, token, name, widgets=0, timeout_ms=300_000):
    """Open notebooks/<name> as a Voila app; wait until Voila has run every cell and ``widgets`` outputs
    show a rendered widget (a headless run of the notebook says how many it displays). Returns how many
    loads it took: a second one when Voila's widget restore failed on the first (VOILA_RESTORE_FAILED),
    never a third.

    The app is served by JupyterLab's server (Voila is one of its extensions), at the address README.md
    gives: /voila/render/notebooks/<name>. Voila removes its "Executing k of n" spinner (#loading) when
    the last cell has run; the widgets render after that.
    """
    for load in (1, 2):
        page.goto(f"{base}/voila/render/notebooks/{name}?token={token}", timeout=timeout_ms)
        page.wait_for_function("() => !document.getElementById('loading') && "
                               "document.querySelector('.jp-OutputArea, .jp-MarkdownOutput') !== null",
                               timeout=timeout_ms)
        try:
            page.wait_for_function(f"n => ({_RENDERED})(n) || document.body.innerText.includes("
                                   f"{json.dumps(VOILA_RESTORE_FAILED)})", arg=widgets, timeout=90_000)
        except Exception:
            if load == 2:
                raise
        else:
            if page.evaluate(_RENDERED, widgets):
                return load
            if load == 2:
                raise AssertionError(f"{name}: Voila showed {VOILA_RESTORE_FAILED!r} on two loads")
        warnings.warn(f"{name}: Voila did not restore the widgets on the first load; loading it again")
        page.goto("about:blank")  # leave the failed load before its kernel goes, so that it logs nothing more
        page.errors.clear()  # the failed load's "widget model not found": the second load must be clean
        shut_down_kernels(base, token)


def explorer_outputs(page):
    """The output areas that hold an interactive widget with a slider."""
    return page.locator(".jp-OutputArea-output:has(.widget-slider)")


def image_sources(output):
    """The src of every image widget in an output area (data: URLs change when the picture does)."""
    return output.locator("img").evaluate_all("els => els.map(e => e.src)")


def key_to_image_ms(page, output, presses=20, timeout_ms=5000):
    """Median time from a real key press on the output's first slider to a new image on screen, ms.

    The keys alternate ArrowRight, ArrowLeft, so the slider never sticks at an end. The clock
    starts at the browser's keydown event and stops when a changed image has decoded.
    """
    output.locator(".noUi-handle").first.focus()
    times = []
    for k in range(presses):
        output.evaluate(
            """(el, timeout) => {
                const imgs = [...el.querySelectorAll('img')];
                const before = imgs.map(i => i.src);
                window.__latency = new Promise((resolve, reject) => {
                    document.addEventListener('keydown', () => {
                        const t0 = performance.now();
                        const check = () => {
                            const k = imgs.findIndex((img, j) => img.src !== before[j]);
                            if (k >= 0) imgs[k].decode().then(() => resolve(performance.now() - t0));
                            else if (performance.now() - t0 > timeout) reject(new Error('no new image'));
                            else requestAnimationFrame(check);
                        };
                        check();
                    }, {capture: true, once: true});
                });
            }""", timeout_ms)
        page.keyboard.press("ArrowRight" if k % 2 == 0 else "ArrowLeft")
        times.append(page.evaluate("window.__latency"))
    times.sort()
    return times[len(times) // 2]


# Draws each distinct CJK character of the page's outputs in the font its element uses, and compares the
# pixels with those of a character no font has (U+E000, a private-use point): the same pixels mean the
# browser found no glyph and drew a box (or nothing).
_BOXES = """(sel) => {
    const canvas = document.createElement('canvas');
    canvas.width = 48; canvas.height = 48;
    const ctx = canvas.getContext('2d', {willReadFrequently: true});
    const draw = (ch, font) => {
        ctx.clearRect(0, 0, 48, 48);
        ctx.font = font; ctx.textBaseline = 'top'; ctx.fillStyle = '#000';
        ctx.fillText(ch, 4, 4);
        return Array.from(ctx.getImageData(0, 0, 48, 48).data).join(',');
    };
    const boxes = new Set(), seen = new Set();
    let checked = 0;
    for (const el of document.querySelectorAll(sel)) {
        const style = getComputedStyle(el);
        const font = `32px ${style.fontFamily}`;
        const missing = draw('\\uE000', font);
        for (const ch of el.innerText || '') {
            if (!/[\\u3400-\\u9fff\\uff00-\\uffef\\u3000-\\u303f]/.test(ch) || seen.has(ch + font)) continue;
            seen.add(ch + font); checked += 1;
            if (draw(ch, font) === missing) boxes.add(ch);
        }
    }
    return [checked, [...boxes].join('')];
}"""


def cjk_boxes(page, selector=".jp-OutputArea-output .widget-label, .jp-OutputArea-output .widget-html-content, "
                               ".jp-OutputArea-output .widget-readout, .jp-OutputArea-output .lm-TabBar-tabLabel, "
                               ".jp-OutputArea-output button, .jp-OutputArea-output pre"):
    """(number of CJK characters checked, the characters the browser drew as boxes) in the outputs."""
    checked, boxes = page.evaluate(_BOXES, selector)
    return checked, boxes
