"""What the analyst does, in a real JupyterLab (started on 127.0.0.1 with a token) driven by headless Chromium.

Opening the executed notebook changes nothing; words typed into an exception's box, saved with
Ctrl+S, reach the store and the papers through `scrutiny run`; Shift+Enter on a figures cell in a
fresh kernel shows its figures, not a NameError.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from builders import new_project

from scrutiny.data.synth import synthesise
from scrutiny.demo import write_demo_params
from scrutiny.run.execute import run_period
from scrutiny.run.pdf import QUIET, chromium

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.e2e
NOTEBOOK = "outputs/2023-11/confidential/paper.ipynb"
WORDS = "Re-referrals rose after the front door changed in May; the service is auditing returns."


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = new_project(tmp_path_factory.mktemp("lab"))
    synthesise(root / "data" / "demo", children=120, seed=5, as_at="2023-11")
    write_demo_params(root, "2023-11", "data/demo")
    result = run_period("2023-11", root)
    public = [i for i in result.exceptions if "part2-only" not in _cell(root, f"commentary:{i}")[1]]
    return root, public[0]


def _cell(root: Path, tag: str) -> tuple[int, list[str]]:
    nb = json.loads((root / NOTEBOOK).read_text())
    index = next(k for k, c in enumerate(nb["cells"]) if tag in c["metadata"].get("tags", []))
    return index, nb["cells"][index]["metadata"]["tags"]


@pytest.fixture(scope="module")
def lab(project, tmp_path_factory):
    """A JupyterLab server on 127.0.0.1 with a token, its settings kept out of the user's home."""
    root, _ = project
    scratch = tmp_path_factory.mktemp("lab-settings")
    env = dict(os.environ, **{k: str(scratch / k) for k in ("JUPYTER_CONFIG_DIR", "JUPYTERLAB_SETTINGS_DIR",
                                                           "JUPYTERLAB_WORKSPACES_DIR", "JUPYTER_RUNTIME_DIR",
                                                           "JUPYTER_DATA_DIR")})
    quiet = scratch / "JUPYTERLAB_SETTINGS_DIR" / "@jupyterlab" / "apputils-extension"
    quiet.mkdir(parents=True)
    (quiet / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false",
                                                                         "checkForUpdates": False}))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = secrets.token_hex(16)
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
         "--allow-root", "--LabApp.expose_app_in_browser=True"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"

    def api(path, method="GET"):
        request = urllib.request.Request(f"{base}{path}", method=method, headers={"Authorization": f"token {token}"})
        return urllib.request.urlopen(request, timeout=5).read()

    for _ in range(240):
        try:
            api("/api/status")
            break
        except OSError:
            time.sleep(0.25)
    else:
        server.kill()
        pytest.fail("JupyterLab did not start")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=[a for a in QUIET if a != "--headless"])
        yield browser.new_page(viewport={"width": 1400, "height": 1000}), f"{base}/lab/tree/{NOTEBOOK}?token={token}"
        browser.close()
    try:
        api("/api/shutdown", "POST")
        server.wait(timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        server.kill()


TAB = "#jp-main-dock-panel .lm-TabBar-tab.jp-mod-current"
SETTLED = """async () => {
  const w = window.jupyterapp.shell.currentWidget;
  await w.context.ready; await w.sessionContext.ready;
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  if (k) { await k.info; await k.spec; }
  await new Promise(r => setTimeout(r, 700));
  return w.context.model.dirty;
}"""


def open_notebook(page, url) -> bool:
    """Open the notebook, wait for its kernel, and say whether JupyterLab thinks it has unsaved changes."""
    page.goto(url + "&reset")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
                           " && window.jupyterapp.shell.currentWidget.context", timeout=90_000)
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    dirty = page.evaluate(SETTLED)
    return dirty or "jp-mod-dirty" in (page.locator(TAB).get_attribute("class") or "")


def cell_at(page, index: int):
    cell = page.locator(f'.jp-Notebook .jp-Cell[data-windowed-list-index="{index}"]')
    cell.scroll_into_view_if_needed()
    return cell


def close_notebook(page) -> None:
    page.locator(f"{TAB} .lm-TabBar-tabCloseIcon").click()
    page.wait_for_function("() => !document.querySelector('#jp-main-dock-panel .jp-NotebookPanel')", timeout=10_000)


def test_opening_and_closing_the_notebook_changes_nothing(project, lab):
    root, _ = project
    page, url = lab
    path = root / NOTEBOOK
    before, mtime = path.read_bytes(), path.stat().st_mtime_ns
    assert not open_notebook(page, url), "the notebook shows unsaved changes the moment it is opened"
    playwright.expect(cell_at(page, 0)).to_contain_text("How to write the commentary", timeout=30_000)
    guide = cell_at(page, 0).inner_text()
    assert "How to write the commentary for November 2023" in guide and "scrutiny run 2023-11" in guide
    close_notebook(page)
    assert page.locator(".jp-Dialog").count() == 0, "closing asked to save"
    assert path.read_bytes() == before and path.stat().st_mtime_ns == mtime


def open_box(page, url, root: Path, indicator: str):
    """Open the notebook and find the exception's commentary box (its position from the tags JupyterLab keeps)."""
    open_notebook(page, url)
    index, _ = _cell(root, f"commentary:{indicator}")
    box = cell_at(page, index)
    playwright.expect(box).to_contain_text("Write here: Indicator", timeout=30_000)
    return index, box


def test_shift_enter_on_a_figures_cell_in_a_fresh_kernel_shows_its_figures(project, lab):
    root, indicator = project
    page, url = lab
    index, box = open_box(page, url, root, indicator)
    playwright.expect(box).to_contain_text("It will appear in both papers")
    box.locator(".jp-MarkdownOutput").click()
    page.keyboard.press("Shift+Enter")   # renders the box, moves to the next cell: the next exception's figures
    page.keyboard.press("Shift+Enter")   # runs it, in a kernel where no other cell has run
    figures = cell_at(page, index + 1)
    page.wait_for_function(f"""() => {{
        const c = document.querySelector('.jp-Notebook .jp-Cell[data-windowed-list-index="{index + 1}"]');
        const n = c && c.querySelector('.jp-InputPrompt');
        return n && n.textContent.includes("[1]"); }}""", timeout=120_000)  # the first cell this kernel ran
    assert figures.locator(".jp-RenderedHTMLCommon").count() >= 1
    assert "NameError" not in figures.inner_text() and "Error" not in figures.locator(".jp-OutputArea").inner_text()
    # leave without saving: the run's notebook stays as it was
    page.evaluate("() => window.jupyterapp.shell.currentWidget.context.model.dirty = false")
    close_notebook(page)


def test_words_typed_and_saved_in_jupyterlab_reach_the_store_and_both_papers(project, lab):
    root, indicator = project
    page, url = lab
    _, box = open_box(page, url, root, indicator)
    box.locator(".jp-MarkdownOutput").dblclick()
    editor = box.locator(".cm-editor .cm-content")
    editor.wait_for(state="visible")
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.type(WORDS)
    page.keyboard.press("Escape")
    page.wait_for_selector(".jp-Notebook.jp-mod-commandMode")
    with page.expect_response(lambda r: r.request.method == "PUT" and "/api/contents/" in r.url) as saved:
        page.keyboard.press("Control+s")
    assert saved.value.ok
    page.wait_for_function("() => !window.jupyterapp.shell.currentWidget.context.model.dirty")
    close_notebook(page)
    run = subprocess.run([sys.executable, "-m", "scrutiny", "run", "2023-11", "--root", str(root)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "commentary harvested:         1 text(s) from the executed notebook" in run.stdout
    assert run.stderr == ""   # a quiet run: no kernel warnings
    store = yaml.safe_load((root / "params" / "commentary" / "2023-11.yaml").read_text())
    assert store["entries"][indicator]["text"] == WORDS
    for paper in (root / "outputs" / "2023-11" / "confidential" / "part2.html", root / "outputs" / "2023-11" /
                  "part1.html"):
        html = paper.read_text()
        assert WORDS in html and "Write here" not in html
    # the words are back in the notebook the run wrote, in place of the box
    nb = json.loads((root / NOTEBOOK).read_text())
    assert "".join(nb["cells"][_cell(root, f"commentary:{indicator}")[0]]["source"]) == WORDS
