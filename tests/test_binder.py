"""Binder and the Zero to JupyterHub image read this repository with repo2docker: read it as repo2docker does.

repo2docker's own code (jupyter-repo2docker, a test extra) picks the build pack, the first in its order that
detects the repository, and renders the Dockerfile it would build, without Docker. environment.yml must be
what it reads (no binder/ folder, no Dockerfile, no requirements.txt beside it), with its Python, and the
course's `pip install -e .` must run after the repository is copied in. Nothing else is needed (no apt.txt:
matplotlib's Chinese font ships with the package, and the widgets use the reader's browser's fonts; no
postBuild: JupyterLab 4 shows ipywidgets 8 without a build).
"""
import os
import re
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
try:
    with warnings.catch_warnings():  # repo2docker 2026.4 imports python-json-logger's old module name
        warnings.simplefilter("ignore", DeprecationWarning)
        import repo2docker.app as repo2docker
except ImportError:
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but jupyter-repo2docker is not installed (a test extra)", pytrace=False)
    pytest.skip("jupyter-repo2docker is not installed (pip install -e '.[test]')", allow_module_level=True)


@pytest.fixture(scope="module")
def build_pack():
    """The build pack repo2docker picks for this repository, with its rendered Dockerfile."""
    app = repo2docker.Repo2Docker()
    cwd = os.getcwd()
    os.chdir(ROOT)  # repo2docker reads the repository from the current folder
    try:
        for kind in app.buildpacks:
            pack = kind(app.base_image)
            if pack.detect():
                break
        else:
            pack = app.default_buildpack(app.base_image)
        pack.platform = "linux/amd64"
        return pack, pack.render()
    finally:
        os.chdir(cwd)


def test_repo2docker_builds_from_environment_yml(build_pack):
    pack, _ = build_pack
    assert type(pack).__name__ == "CondaBuildPack", f"repo2docker would build with {type(pack).__name__}"
    assert pack.binder_dir == "", "repo2docker reads the files at the top (no binder/ or .binder/ folder)"
    for name in ("Dockerfile", "requirements.txt", "runtime.txt", "apt.txt", "postBuild", "start", "install.R"):
        assert not (ROOT / name).exists(), f"{name} would change what repo2docker builds; environment.yml is the source"
    assert pack.python_version == "3.11", "the Python of environment.yml"


def test_the_course_is_installed_after_the_repository_is_copied_in(build_pack):
    _, dockerfile = build_pack
    copy = dockerfile.index("COPY --chown=1000:1000 src/ ${REPO_DIR}/")
    update = dockerfile.index('env update -p ${NB_PYTHON_PREFIX} --file "environment.yml"')
    assert copy < update, "environment.yml's `pip install -e .` needs the repository in place"


def test_the_image_can_serve_a_hub(build_pack):
    """deploy/jupyterhub/README.md builds the Kubernetes image this way: it must have jupyterhub-singleuser."""
    pack, _ = build_pack
    lock = Path(repo2docker.__file__).parent / "buildpacks" / "conda" / f"environment.py-{pack.python_version}-linux-64.lock"
    assert re.search(r"/jupyterhub-singleuser-\d", lock.read_text()), "repo2docker's base environment"
