"""Every lesson, exported to ipynb by `selfsup export` and executed by nbclient with the
LabScript kernel: each code cell's text outputs must equal what the lesson runner printed
for that cell (the export's outputs), and appear, in order, in what `selfsup run` prints.
One lesson also goes through `jupyter nbconvert --to notebook --execute`.

Text outputs of a cell: its stream text, a result's or figure's text/plain, an error's
message. The kernel sends a final value as execute_result and the export stores it as
printed text, so both are compared as text; progress displays (marked with metadata
selfsup.progress) are the kernel's live view of training and are not compared.
"""
import glob
import os
import re
import subprocess
import tempfile
import unittest

import nbformat
from nbclient import NotebookClient

ROOT = os.environ["SELFSUP_ROOT"]
SELFSUP = os.environ["SELFSUP_EXECUTABLE"]
LESSONS = sorted(glob.glob(os.path.join(ROOT, "Lessons", "[0-9][0-9]-*.lab")))


def without_timings(text):
    """`text` with its measured times masked: a run's seconds ("0.7 s", a table's
    s_per_epoch column) differ from one run to the next, everything else must not."""
    text = re.sub(r"\d+(\.\d+)?( ± \d+(\.\d+)?)? s\b", "<seconds> s", text)
    if "s_per_epoch" in text:
        # compare's tables end each row with the seconds per epoch; the column's width
        # follows the numbers, so spaces and rules are compared as one character.
        text = re.sub(r"[ \t]+-?[\d.]+( ± [\d.]+)?[ \t]*$", " <seconds>", text, flags=re.M)
        text = re.sub(r"─+", "─", re.sub(r"[ \t]+", " ", text))
    return text


def cell_texts(cell):
    """The text outputs of a code cell, as a list of strings in order (times masked)."""
    return [(kind, without_timings(text)) for kind, text in raw_cell_texts(cell)]


def raw_cell_texts(cell):
    texts = []
    for output in cell.get("outputs", []):
        kind = output["output_type"]
        if kind == "stream":
            if texts and texts[-1][0] == "stream":
                texts[-1] = ("stream", texts[-1][1] + output["text"])
            else:
                texts.append(("stream", output["text"]))
        elif kind == "execute_result":
            text = output["data"]["text/plain"]
            if output["data"].get("image/svg+xml") or output["data"].get("text/html"):
                texts.append(("figure", text))
            elif texts and texts[-1][0] == "stream":   # the export prints a final value
                texts[-1] = ("stream", texts[-1][1] + text + "\n")
            else:
                texts.append(("stream", text + "\n"))
        elif kind == "display_data":
            if output.get("metadata", {}).get("selfsup", {}).get("progress"):
                continue
            texts.append(("figure", output["data"]["text/plain"]))
        elif kind == "error":
            texts.append(("error", output["evalue"]))
    return texts


class LessonNotebookTests(unittest.TestCase):
    maxDiff = None

    def check_lesson(self, lesson, tmp):
        name = os.path.splitext(os.path.basename(lesson))[0]
        exported_path = os.path.join(tmp, name + ".ipynb")
        subprocess.run([SELFSUP, "export", lesson, "--to", "ipynb", "-o", exported_path, "--quick"],
                       check=True, stdout=subprocess.DEVNULL)
        exported = nbformat.read(exported_path, as_version=4)
        executed = nbformat.read(exported_path, as_version=4)
        for cell in executed.cells:
            if cell.cell_type == "code":
                cell.outputs = []
        NotebookClient(executed, timeout=300, kernel_name="labscript").execute()
        # Spaces squeezed on both sides: a table's column widths follow its (masked) times.
        squeeze = lambda text: re.sub(r"[ \t]+", " ", without_timings(text))
        printed = squeeze(subprocess.run([SELFSUP, "run", lesson, "--quick"], check=True,
                                         capture_output=True, text=True).stdout)
        position = 0
        code_cells = 0
        for want, got in zip(exported.cells, executed.cells):
            if want.cell_type != "code":
                continue
            code_cells += 1
            self.assertEqual(cell_texts(got), cell_texts(want), f"{name}, cell {want.get('id')}")
            # What the script printed (the kernel's stream outputs, not a final value it
            # shows as the cell's result) is what `selfsup run` prints, in order.
            for output in got.outputs:
                if output["output_type"] != "stream":
                    continue
                for line in [line for line in squeeze(output["text"]).split("\n") if line.strip()]:
                    found = printed.find(line, position)
                    self.assertGreaterEqual(found, 0, f"{name}: {line!r} is not in `selfsup run`'s output here")
                    position = found + len(line)
        self.assertGreater(code_cells, 0)

    def test_every_lesson(self):
        self.assertGreater(len(LESSONS), 0)
        with tempfile.TemporaryDirectory() as tmp:
            for lesson in LESSONS:
                with self.subTest(lesson=os.path.basename(lesson)):
                    self.check_lesson(lesson, tmp)

    def test_nbconvert_executes_an_exported_lesson(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "tour.ipynb")
            subprocess.run([SELFSUP, "export", LESSONS[0], "--to", "ipynb", "-o", path, "--quick"], check=True,
                           stdout=subprocess.DEVNULL)
            subprocess.run(["jupyter", "nbconvert", "--to", "notebook", "--execute", path, "--output",
                            "tour-run.ipynb"], check=True, capture_output=True)
            ran = nbformat.read(os.path.join(tmp, "tour-run.ipynb"), as_version=4)
            exported = nbformat.read(path, as_version=4)
            self.assertEqual([cell_texts(c) for c in ran.cells if c.cell_type == "code"],
                             [cell_texts(c) for c in exported.cells if c.cell_type == "code"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
