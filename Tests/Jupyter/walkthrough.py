"""A learner's exercise in JupyterLab, driven by a browser: export, wrong answer, check(),
right answer, check(), save, `selfsup grade`. Screenshots show each step.

NOT PART OF CI OR Scripts/test: it needs JupyterLab, Playwright and a Chromium, none of
which the project installs. Run it by hand, from the repository root, after a build:

    python3 -m venv /tmp/jlab-venv
    /tmp/jlab-venv/bin/pip install jupyterlab playwright
    apt-get install -y chromium          # Debian's; Playwright's own download is not needed
    swift build -c release
    /tmp/jlab-venv/bin/python Tests/Jupyter/walkthrough.py --shots /tmp/jlab-shots

Options: --selfsup PATH (default .build/release/selfsup), --chromium PATH (default
/usr/bin/chromium), --exercise NN-name (default 02-nt-xent), --wrong MISTAKE (default
no-normalize, a file of Lessons/Exercises/wrong/), --keep (keep the scratch folder),
--lang en|zh (default en).

With --lang zh the same exercise is done in Chinese: the Chinese kernelspec (`selfsup
kernel install --user --lang zh`, "LabScript（中文）"), the Chinese hand-out (the twin
Lessons/Exercises/zh/NN-name.lab, exported with --lang zh), check() in the Chinese kernel
and `selfsup grade --lang zh`. The answers typed are the same files as in English (the
twin is the same program, and the grader goes by the cells' ids). It fails unless check()
and grade print Chinese. `selfsup export` writes the kernelspec "labscript" into every
notebook, so the script points the exported notebook at the Chinese kernel (the kernel's
name read from the kernelspec that install wrote), as a learner picking "LabScript（中文）"
in JupyterLab's kernel menu would.

What it does, in a scratch folder that it removes at the end (Jupyter's data, config and
runtime folders and SELFSUP_HOME point into it, so your own kernels, settings and progress
are not touched):

1. `selfsup kernel install --user` (JUPYTER_DATA_DIR is the scratch folder's) and `selfsup export
   Lessons/Exercises/NN-name.lab --to ipynb -o work.ipynb`;
2. starts `jupyter lab` on a free local port (no token: it listens on 127.0.0.1 only) and
   opens work.ipynb in headless Chromium with the LabScript kernel;
3. types the wrong solution's exercise cells into the notebook's exercise cells
   (02-wrong-typed.png), runs every cell, adds a `check()` cell and runs it:
   03-wrong-check.png;
4. types the reference solution's cells (Lessons/Exercises/solutions/), runs every cell
   and check() again: 04-right-check.png;
5. saves with Ctrl-S and runs `selfsup grade work.ipynb` on the saved file, which must
   give full marks (exit 1 otherwise).

It also prints the CodeMirror mode JupyterLab took from the kernel (the notebook's saved
`metadata.language_info.codemirror_mode`); 01-opened.png shows the highlighted cells.
Waits are generous (minutes) and only bound a step that never ends.
"""
import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from playwright.sync_api import sync_playwright

CJK = re.compile(r"[\u4e00-\u9fff]")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WAIT_MS = 180_000


def cells_of_lab(path):
    """The cells of a percent-format file, keyed by exercise id: {id: source}."""
    cells, current = {}, None
    with open(path) as file:
        for line in file:
            if line.startswith("# %%"):
                found = re.match(r"# %% \[exercise\].*\bid=(\S+)", line)
                current = found.group(1) if found else None
                if current:
                    cells[current] = ""
            if current:
                cells[current] += line
    return {key: text.rstrip("\n") for key, text in cells.items()}


def installed_kernel(kernels, lang):
    """The kernelspec `selfsup kernel install` wrote under `kernels` for `lang`: (its name,
    the folder's, and its display name). The Chinese one starts the kernel with --lang zh."""
    for name in sorted(os.listdir(kernels)):
        with open(os.path.join(kernels, name, "kernel.json")) as file:
            spec = json.load(file)
        argv = spec["argv"]
        spoken = argv[argv.index("--lang") + 1] if "--lang" in argv else "en"
        if spoken == lang:
            return name, spec["display_name"]
    sys.exit(f"walkthrough: no {lang} kernelspec in {kernels}: {os.listdir(kernels)}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_selfsup(selfsup, *args, cwd, env):
    result = subprocess.run([selfsup, *args], cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode != 0 and args[0] != "grade":
        sys.exit(f"walkthrough: selfsup {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result


class Notebook:
    """The open notebook in JupyterLab, driven as a learner would: clicks and keys."""

    def __init__(self, page):
        self.page = page

    def cells(self):
        return self.page.locator(".jp-Notebook .jp-Cell")

    def wait_idle(self):
        self.page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=WAIT_MS)

    def replace_source(self, index, text):
        """Clicks into the cell's editor, selects all of it and types the new text in its place."""
        editor = self.cells().nth(index).locator(".cm-content")
        editor.scroll_into_view_if_needed()
        editor.click()
        self.page.keyboard.press("Control+a")
        self.page.keyboard.press("Delete")
        # insert_text types the whole text as one input: no auto-indent or closing brackets added.
        self.page.keyboard.insert_text(text)
        self.page.keyboard.press("Escape")

    def run_all(self):
        """Runs the cells one at a time, each after the one before has finished, so that a
        failing test cell does not cancel the cells after it (as Run All would)."""
        count = self.cells().count()
        for index in range(count):
            cell = self.cells().nth(index)
            cell.scroll_into_view_if_needed()
            cell.locator(".jp-InputArea").click(position={"x": 5, "y": 5})
            self.page.keyboard.press("Escape")
            code = "jp-CodeCell" in (cell.get_attribute("class") or "")
            before = self.prompt(cell) if code else None
            self.page.keyboard.press("Control+Enter")
            if code:
                self.wait_for_cell(cell, before)

    @staticmethod
    def prompt(cell):
        return cell.locator(".jp-InputArea-prompt").inner_text().strip()

    def wait_for_cell(self, cell, before):
        """Waits until the cell's prompt shows an execution count other than `before`'s:
        counts only grow, so that is this run's."""
        deadline = time.monotonic() + WAIT_MS / 1000
        while time.monotonic() < deadline:
            text = self.prompt(cell)
            if re.fullmatch(r"\[\d+\]:", text) and text != before:
                return
            time.sleep(0.2)
        raise TimeoutError(f"a cell did not finish running (prompt {self.prompt(cell)!r})")

    def append_and_run(self, code):
        """A new code cell at the end with `code`, run; returns the cell."""
        last = self.cells().nth(self.cells().count() - 1)
        last.scroll_into_view_if_needed()
        last.locator(".jp-InputArea").click(position={"x": 5, "y": 5})
        self.page.keyboard.press("Escape")
        self.page.keyboard.press("b")
        cell = self.cells().nth(self.cells().count() - 1)
        cell.locator(".cm-content").click()
        self.page.keyboard.insert_text(code)
        self.page.keyboard.press("Control+Enter")
        self.wait_for_cell(cell, "[ ]:")
        return cell


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shots", default="/tmp/jlab-shots")
    parser.add_argument("--selfsup", default=os.path.join(ROOT, ".build/release/selfsup"))
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--exercise", default="02-nt-xent")
    parser.add_argument("--wrong", default="no-normalize")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--lang", choices=["en", "zh"], default="en")
    args = parser.parse_args()
    selfsup = os.path.abspath(args.selfsup)
    exercises = os.path.join(ROOT, "Lessons/Exercises")
    wrong = cells_of_lab(os.path.join(exercises, "wrong", f"{args.exercise}.{args.wrong}.lab"))
    right = cells_of_lab(os.path.join(exercises, "solutions", f"{args.exercise}.lab"))
    hand_out = os.path.join(exercises, *([] if args.lang == "en" else [args.lang]), f"{args.exercise}.lab")
    if not os.path.exists(hand_out):
        sys.exit(f"walkthrough: no hand-out {hand_out}")
    lang = ["--lang", args.lang]
    os.makedirs(args.shots, exist_ok=True)

    scratch = tempfile.mkdtemp(prefix="selfsup-walkthrough-")
    work = os.path.join(scratch, "work")
    os.makedirs(work)
    env = dict(os.environ,
               JUPYTER_DATA_DIR=os.path.join(scratch, "data"), JUPYTER_CONFIG_DIR=os.path.join(scratch, "config"),
               JUPYTER_RUNTIME_DIR=os.path.join(scratch, "runtime"),
               JUPYTER_PLATFORM_DIRS="1", SELFSUP_HOME=os.path.join(scratch, "home"), SELFSUP_ROOT=ROOT)
    # JupyterLab's own setting, in the scratch settings folder: no "get notified about news?" toast.
    news = os.path.join(scratch, "config/lab/user-settings/@jupyterlab/apputils-extension")
    os.makedirs(news)
    with open(os.path.join(news, "notification.jupyterlab-settings"), "w") as file:
        json.dump({"fetchNews": "false"}, file)
    run_selfsup(selfsup, "kernel", "install", "--user", *lang, cwd=work, env=env)  # into JUPYTER_DATA_DIR
    kernel_name, display_name = installed_kernel(os.path.join(scratch, "data", "kernels"), args.lang)
    print(f"kernelspec: {kernel_name!r}, display name {display_name!r}\n")
    run_selfsup(selfsup, "export", hand_out, "--to", "ipynb", "-o", "work.ipynb", *lang, cwd=work, env=env)
    with open(os.path.join(work, "work.ipynb")) as file:
        exported = json.load(file)
    asked = exported["metadata"]["kernelspec"]
    print(f"exported notebook asks for kernel {asked['name']!r} ({asked['display_name']!r})\n")
    if asked["name"] != kernel_name:
        # What choosing the installed kernel in JupyterLab's kernel menu saves.
        asked.update(name=kernel_name, display_name=display_name)
        with open(os.path.join(work, "work.ipynb"), "w") as file:
            json.dump(exported, file, ensure_ascii=False, indent=1)
    jupyter = os.path.join(os.path.dirname(sys.executable), "jupyter")
    port = free_port()
    log = open(os.path.join(scratch, "jupyterlab.log"), "w")
    server = subprocess.Popen([jupyter, "lab", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
                               "--IdentityProvider.token=", "--ServerApp.password=", *(["--allow-root"] if os.geteuid() == 0 else []),
                               f"--ServerApp.root_dir={work}",
                               "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
                              cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT)
    status = 1
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + WAIT_MS / 1000
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status", timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    sys.exit(f"walkthrough: JupyterLab did not start; see {log.name}")
                time.sleep(0.5)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{url}/lab/tree/work.ipynb", timeout=WAIT_MS)
            notebook = Notebook(page)
            # A code cell's editor: a rendered markdown cell hides its own, which made the
            # first match invisible whenever the prose rendered before the wait began.
            page.wait_for_selector(".jp-Notebook .jp-CodeCell .cm-content", timeout=WAIT_MS)
            page.wait_for_selector(f".jp-Toolbar-kernelName:has-text({json.dumps(display_name, ensure_ascii=False)})", timeout=WAIT_MS)
            notebook.wait_idle()
            sources = [notebook.cells().nth(i).locator(".cm-content").inner_text() for i in range(notebook.cells().count())]
            exercise_cells = {}
            for index, text in enumerate(sources):
                found = re.match(r"# %% \[exercise\].*\bid=(\S+)", text)
                if found:
                    exercise_cells[found.group(1)] = index
            missing = set(exercise_cells) - set(wrong) | set(exercise_cells) - set(right)
            if not exercise_cells or missing:
                sys.exit(f"walkthrough: exercise cells {sorted(exercise_cells)}; no answer for {sorted(missing)}")
            first = notebook.cells().nth(min(exercise_cells.values()))
            first.evaluate("cell => cell.scrollIntoView({block: 'start'})")
            time.sleep(1)
            page.screenshot(path=os.path.join(args.shots, "01-opened.png"))

            for key, index in exercise_cells.items():
                notebook.replace_source(index, wrong[key])
            last = notebook.cells().nth(max(exercise_cells.values()))
            last.evaluate("cell => cell.scrollIntoView({block: 'start'})")
            time.sleep(1)
            page.screenshot(path=os.path.join(args.shots, "02-wrong-typed.png"))
            notebook.run_all()
            check = notebook.append_and_run("check()")
            check.scroll_into_view_if_needed()
            wrong_marks = check.locator(".jp-OutputArea").inner_text()
            page.screenshot(path=os.path.join(args.shots, "03-wrong-check.png"))
            print(f"check() after the wrong answer ({args.wrong}):\n{wrong_marks}\n")

            for key, index in exercise_cells.items():
                notebook.replace_source(index, right[key])
            notebook.run_all()
            check.scroll_into_view_if_needed()
            right_marks = check.locator(".jp-OutputArea").inner_text()
            page.screenshot(path=os.path.join(args.shots, "04-right-check.png"))
            print(f"check() after the right answer:\n{right_marks}\n")

            page.keyboard.press("Control+s")
            page.wait_for_selector(".jp-mod-dirty", state="detached", timeout=WAIT_MS)
            time.sleep(1)
            browser.close()

        with open(os.path.join(work, "work.ipynb")) as file:
            saved = json.load(file)
        mode = saved["metadata"].get("language_info", {}).get("codemirror_mode")
        print(f"saved notebook: language_info.codemirror_mode = {mode!r}\n")
        graded = run_selfsup(selfsup, "grade", "work.ipynb", *lang, cwd=work, env=env)
        print(f"$ selfsup grade work.ipynb {' '.join(lang)}\n{graded.stdout}{graded.stderr}")
        score = re.search(r"(?:Score: |得分：)(\d+)/(\d+)", graded.stdout)
        english = [name for name, text in [("check() after the wrong answer", wrong_marks),
                                           ("check() after the right answer", right_marks),
                                           ("selfsup grade", graded.stdout)] if not CJK.search(text)]
        if args.lang == "zh" and english:
            print(f"walkthrough: FAILED (no Chinese in: {', '.join(english)})")
        elif graded.returncode == 0 and score and score.group(1) == score.group(2):
            print("walkthrough: PASSED (full marks)")
            status = 0
        else:
            print("walkthrough: FAILED (not full marks)")
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        if args.keep:
            print(f"walkthrough: kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
