# JupyterHub settings for a class taking "LSTM, step by step".
#
# The Littlest JupyterHub (one server): copy this file to /opt/tljh/config/jupyterhub_config.d/lstm_course.py,
# set COURSE_REPO (and COURSE_REF, the version your class uses) below, then `sudo tljh-config reload`.
# Any other JupyterHub: load it from jupyterhub_config.py with load_subconfig("<path>/course_config.py").
# tests/test_hub.py starts a real JupyterHub with this very file (its own authenticator and spawner added).
#
# What it does: a student who logs in lands in the course. Their server opens an nbgitpuller link, which
# clones the course into their home on the first visit and pulls updates on later ones, merging them
# without overwriting the student's own edits. The limits are the measured sizes of README.md's
# "Sizing a class" table; spawners that enforce limits (TLJH's systemd spawner, KubeSpawner) use them.
import os
from urllib.parse import urlencode

c = get_config()  # noqa: F821 (JupyterHub defines it)

COURSE_REPO = os.environ.get("LSTM_COURSE_REPO", "https://github.com/OWNER/lstm-step-by-step")  # your copy
COURSE_REF = os.environ.get("LSTM_COURSE_REF", "main")  # a tag such as v0.2.0 pins the class to one version
COURSE_DIR = os.environ.get("LSTM_COURSE_DIR", "lstm-step-by-step")  # the folder in each student's home
FIRST_CHAPTER = os.environ.get("LSTM_COURSE_FIRST", "notebooks/00_overview.ipynb")  # notebooks/zh/…: 中文版

c.Spawner.default_url = "/git-pull?" + urlencode({
    "repo": COURSE_REPO, "branch": COURSE_REF, "targetpath": COURSE_DIR,
    "urlpath": f"lab/tree/{COURSE_DIR}/{FIRST_CHAPTER}",
})

# Voila's apps (a chapter without its code, at /user/<name>/voila/render/...) typeset the equations with
# the MathJax JupyterLab bundles, not one from a CDN, so they work on a hub without internet too.
c.Spawner.args = ['--ServerApp.tornado_settings={"mathjax_url": "null", "mathjax_config": "null"}']

# One student: a JupyterLab server (147 MB) and a kernel per open chapter (234 MB at most, chapter 07), as
# measured by benchmarks/hub_class.py.
c.Spawner.mem_guarantee = "512M"
c.Spawner.mem_limit = "1G"
# The chapters compute on one core; with half a core each while the whole class runs at once, a chapter
# takes about twice as long as alone (README.md, "Sizing a class").
c.Spawner.cpu_guarantee = 0.5
c.Spawner.cpu_limit = 1.0
# A class logging in at once: servers start in a few seconds each here, slower on a busy machine.
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 60
