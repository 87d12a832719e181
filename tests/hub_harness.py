"""A real JupyterHub on 127.0.0.1 for a class of test students, and a chapter run in a student's server.

The hub is jupyterhub from PyPI with configurable-http-proxy from npm (`python course.py test` installs it
into .venv/node when npm is there), its built-in dummy authenticator (tests only: it lets anyone in) and the
simple local spawner, which runs each student's single-user server as a process with a home folder of its
own under a temporary directory. It loads deploy/jupyterhub/course_config.py, the file a class's hub uses,
so the test checks the settings an instructor deploys. A service token (roles admin:users, admin:servers,
access:servers) creates the students, starts and stops their servers and talks to those servers.
../shared/DESIGN.md ("Distribution") lists what is known to work here.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

from browser_harness import _free_port, wait_until

ROOT = Path(__file__).resolve().parents[1]
COURSE_CONFIG = ROOT / "deploy" / "jupyterhub" / "course_config.py"
SERVICE = "course-test"


def find_proxy():
    """configurable-http-proxy on the PATH or where course.py puts it (.venv/node), else None."""
    local = Path(sys.prefix) / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
    for path in (shutil.which("configurable-http-proxy"), local):
        if path and os.access(path, os.X_OK):
            return str(path)
    return None


class Hub:
    """A running hub: ``url`` (the proxy, what a browser opens) and the service token's REST calls."""

    def __init__(self, url, token, home):
        self.url, self.token, self.home = url, token, home

    def request(self, method, path, body=None, timeout=60, raw=False):
        """``method`` ``path`` (from the proxy's root) with the service token; the JSON reply (or the response)."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={"Authorization": f"token {self.token}"})
        resp = urllib.request.urlopen(req, timeout=timeout)
        if raw:
            return resp
        with resp:
            text = resp.read()
        return json.loads(text) if text.strip() else None

    def add_student(self, name):
        self.request("POST", f"/hub/api/users/{name}")

    def start_server(self, name, timeout_s=120):
        """Start the student's server and wait until the hub says it is ready (not pending)."""
        self.request("POST", f"/hub/api/users/{name}/server")

        def ready():
            user = self.request("GET", f"/hub/api/users/{name}")
            server = user.get("servers", {}).get("", {})
            if not server.get("ready") or server.get("pending"):
                return False
            try:  # and the proxy routes to it (the hub may say ready a moment before)
                return self.request("GET", f"/user/{name}/api/status", timeout=10) is not None
            except urllib.error.HTTPError:
                return False
        wait_until(ready, timeout_s, f"the server of {name} to be ready", interval_s=0.5)

    def stop_server(self, name, timeout_s=60):
        try:
            self.request("DELETE", f"/hub/api/users/{name}/server")
        except urllib.error.HTTPError as exc:
            if exc.code != 404:
                raise
        wait_until(lambda: not self.request("GET", f"/hub/api/users/{name}").get("servers"), timeout_s,
                   f"the server of {name} to stop", interval_s=0.5)

    def default_url(self, name):
        """Where the student's server sends someone who opens /user/<name>/ (the Location of its redirect)."""
        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args):
                return None
        opener = urllib.request.build_opener(NoRedirect)
        req = urllib.request.Request(f"{self.url}/user/{name}/", headers={"Authorization": f"token {self.token}"})
        try:
            opener.open(req, timeout=30)
        except urllib.error.HTTPError as exc:
            if exc.code in (301, 302, 303, 307):
                return exc.headers["Location"]
            raise
        raise AssertionError(f"/user/{name}/ did not redirect")

    def git_pull(self, name, query, timeout_s=120):
        """Run nbgitpuller's pull in the student's server, as its link page does (its event stream, to the end).

        Returns the stream's events; the last one has phase "finished" or "error".
        """
        try:
            resp = self.request("GET", f"/user/{name}/git-pull/api?{query}", timeout=timeout_s, raw=True)
        except urllib.error.HTTPError as exc:
            raise RuntimeError(f"{name}'s git-pull: HTTP {exc.code}: {exc.read()[:500]!r}") from None
        events = []
        with resp:
            for line in resp:
                line = line.decode().strip()
                if line.startswith("data:"):
                    events.append(json.loads(line[5:]))
                    if events[-1].get("phase") in ("finished", "error"):
                        break
        return events


@contextmanager
def jupyterhub(proxy, course_env, timeout=90):
    """Start JupyterHub with the course's settings (``course_env``: LSTM_COURSE_* variables); yield a Hub."""
    tmp = Path(tempfile.mkdtemp(prefix="lstm-hub-"))
    home = tmp / "home"
    home.mkdir()
    port, hub_port, api_port = _free_port(), _free_port(), _free_port()
    token = uuid.uuid4().hex
    singleuser = Path(sys.executable).parent / "jupyterhub-singleuser"
    config = f"""
c = get_config()
load_subconfig({str(COURSE_CONFIG)!r})
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.pid_file = {str(tmp / "proxy.pid")!r}
c.JupyterHub.db_url = "sqlite:///{tmp / 'hub.sqlite'}"
c.JupyterHub.cookie_secret_file = {str(tmp / "cookie_secret")!r}
c.JupyterHub.pid_file = {str(tmp / "hub.pid")!r}
c.JupyterHub.authenticator_class = "dummy"  # tests only: it lets anyone in
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {str(home / "{username}")!r}
c.Spawner.cmd = [{str(singleuser)!r}]
c.Spawner.args = c.Spawner.args + {["--allow-root"] if os.getuid() == 0 else []!r}
c.JupyterHub.services = [{{"name": "{SERVICE}", "api_token": "{token}"}}]
c.JupyterHub.load_roles = [{{"name": "{SERVICE}", "services": ["{SERVICE}"],
                            "scopes": ["admin:users", "admin:servers", "access:servers"]}}]
"""
    (tmp / "jupyterhub_config.py").write_text(config)
    env = dict(os.environ, **course_env)
    log = open(tmp / "hub.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(tmp / "jupyterhub_config.py")],
                            cwd=tmp, env=env, stdout=log, stderr=subprocess.STDOUT)
    hub = Hub(f"http://127.0.0.1:{port}", token, home)
    try:
        deadline = time.time() + timeout
        while True:
            try:
                hub.request("GET", "/hub/api/", timeout=10)
                break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError("JupyterHub did not start:\n" + (tmp / "hub.log").read_text()[-3000:])
                time.sleep(0.5)
        hub.log = tmp / "hub.log"
        yield hub
    finally:
        try:
            for user in hub.request("GET", "/hub/api/users", timeout=10) if proc.poll() is None else []:
                if user.get("servers"):
                    hub.stop_server(user["name"])
        finally:
            proc.terminate()  # the hub stops the proxy it started ...
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
            try:  # ... unless it was killed: then do it here
                pid = int((tmp / "proxy.pid").read_text())
                if "configurable-http-proxy" in Path(f"/proc/{pid}/cmdline").read_text():
                    os.kill(pid, 15)
            except (OSError, ValueError):
                pass
            log.close()
            shutil.rmtree(tmp, ignore_errors=True)


def run_chapter(hub, name, path, cell_timeout=300):
    """Run the notebook at ``path`` (relative to the student's home) in the student's own server.

    As JupyterLab does it: a session for the notebook starts a kernel in the notebook's folder, and each
    code cell goes to the kernel over the server's websocket. Returns a notebook_runner.Run whose cells hold
    what the kernel sent back and whose values come from the same probe the local runs use.
    """
    import asyncio

    import nbformat
    from notebook_runner import MARK, PROBE, Run, problems_in

    session = hub.request("POST", f"/user/{name}/api/sessions",
                          {"path": path, "type": "notebook", "name": "", "kernel": {"name": "python3"}})
    kernel = session["kernel"]["id"]
    nb = nbformat.read(hub.home / name / path, as_version=4)
    probe = nbformat.v4.new_code_cell(PROBE)

    async def execute_all():
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect
        ws_url = hub.url.replace("http", "ws", 1) + f"/user/{name}/api/kernels/{kernel}/channels"
        ws = await websocket_connect(HTTPRequest(ws_url, headers={"Authorization": f"token {hub.token}"}),
                                     max_message_size=256 * 1024 * 1024)
        try:
            for cell in [c for c in nb.cells if c.cell_type == "code"] + [probe]:
                cell.outputs = await execute(ws, cell.source)
                if any(o.output_type == "error" for o in cell.outputs):
                    break
        finally:
            ws.close()

    async def execute(ws, code):
        msg_id = uuid.uuid4().hex
        await ws.write_message(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": name,
                       "session": session["id"], "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}))
        outputs, clear = [], None
        while True:
            raw = await asyncio.wait_for(ws.read_message(), cell_timeout)
            if raw is None:
                raise RuntimeError(f"the kernel's websocket closed while running a cell of {path}")
            if isinstance(raw, bytes):  # a binary message (widget buffers): not an output
                continue
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id or msg.get("channel") != "iopub":
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "status" and content["execution_state"] == "idle":
                return outputs
            if kind == "clear_output":  # as the front end does: now, or (wait) just before the next output
                clear = "wait" if content.get("wait") else outputs.clear()
            elif kind in ("stream", "error", "display_data", "execute_result"):
                if clear == "wait":
                    outputs.clear()
                clear = None
                if kind == "stream" and outputs and outputs[-1].get("name") == content["name"]:
                    outputs[-1].text += content["text"]  # one stream output, as in a saved notebook
                else:
                    outputs.append(nbformat.v4.output_from_msg(msg))

    start = time.perf_counter()
    try:
        asyncio.run(execute_all())
    finally:
        hub.request("DELETE", f"/user/{name}/api/sessions/{session['id']}")
    seconds = time.perf_counter() - start
    values = {}
    for out in probe.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("text", "").startswith(MARK):
            values = json.loads(out["text"][len(MARK):])
    return Run(nb, problems_in(nb), seconds, values)
