"""The LabScript Jupyter kernel, driven by Jupyter's own clients.

Run by Scripts/test-jupyter inside its private virtual environment, with the kernelspec
"labscript" installed there (started with --quick). Its parts:

- LabScriptKernelTests: the jupyter_kernel_test conformance suite with LabScript samples.
- ProtocolTests: what the suite does not cover: figures and progress displays, silent
  and store_history, stop_on_error, batched stream output, comm_info, the language_info
  that the kernel and an exported notebook share.
- InterruptTests: interrupts (message and SIGINT) that keep the session, restart.
- RobustnessTests: the kernel started by hand: the messages it refuses (each refusal
  shown by its effect being absent and the kernel still answering a valid request
  afterwards), a connection file without a key, a lost client, the ipc transport's
  files removed at shutdown.
- SigningTests: an empty key turns signing off, and the kernel says so.

Waits are generous: nothing depends on how fast the machine is.
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import jupyter_kernel_test as jkt
import zmq
from jupyter_client import KernelManager
from jupyter_client.session import Session

KERNEL = "labscript"
SELFSUP = os.environ["SELFSUP_EXECUTABLE"]
TIMEOUT = 60


class LabScriptKernelTests(jkt.KernelTests):
    kernel_name = KERNEL
    language_name = "labscript"
    file_extension = ".lab"

    code_hello_world = 'print("hello, world")'
    # LabScript has no way to write to standard error: test_execute_stderr is skipped.

    completion_samples = [
        {"text": "nt_xe", "matches": {"nt_xent"}},
        {"text": "embedding_s", "matches": {"embedding_std"}},
    ]
    complete_code_samples = ["1", 'print("hello, world")', "fn f(x) {\n  return x * 2\n}", ":vars", "?randn"]
    incomplete_code_samples = ["fn f(x) {\n  return x * 2", '"an open string', "print(1,"]
    invalid_code_samples = ["x = = 7", "1 +* 2"]

    code_page_something = "?randn"
    code_generate_error = "undefined_name_xyz + 1"

    code_execute_result = [
        {"code": "1 + 1", "result": "2"},
        {"code": "3 * 4", "result": "12"},
        {"code": "plot([1, 4, 9])", "mime": "image/svg+xml"},
    ]
    code_display_data = [
        {"code": 'show(plot([1, 2, 3], title: "a line"))', "mime": "image/svg+xml"},
        {"code": "show(plot([3, 2, 1]))", "mime": "text/plain"},
    ]

    supported_history_operations = ("tail", "range", "search")
    code_history_pattern = "3 *"
    code_inspect_sample = "randn"
    # LabScript has no clear_output: test_clear_output is skipped.


class IopubWelcome(jkt.IopubWelcomeTests):
    """JEP 65's iopub_welcome needs an XPUB socket; this kernel's iopub is PUB (skipped)."""
    kernel_name = KERNEL


def start():
    km = KernelManager(kernel_name=KERNEL)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=TIMEOUT)
    return km, kc


def run(kc, code, timeout=TIMEOUT, **options):
    """Executes code; returns the reply and the iopub messages of that request (until idle)."""
    msg_id = kc.execute(code, **options)
    reply = kc.get_shell_msg(timeout=timeout)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=timeout)
    messages = []
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return reply, messages
        messages.append(msg)


def text_of(messages):
    return "".join(m["content"]["text"] for m in messages if m["msg_type"] == "stream")


def result_of(messages):
    found = [m["content"]["data"]["text/plain"] for m in messages if m["msg_type"] == "execute_result"]
    return found[0] if found else None


class ProtocolTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start()

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)

    def test_kernel_info_describes_labscript(self):
        self.kc.kernel_info()
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        content = reply["content"]
        self.assertEqual(content["protocol_version"], "5.3")
        self.assertEqual(content["language_info"]["mimetype"], "text/x-labscript")
        self.assertTrue(content["help_links"][0]["url"].endswith("docs.md"))

    def test_the_kernel_and_an_exported_notebook_describe_labscript_alike(self):
        # JupyterLab highlights with the notebook's language_info until the kernel is
        # connected, then with the kernel's: both must name the same CodeMirror mode.
        self.kc.kernel_info()
        kernel = self.kc.get_shell_msg(timeout=TIMEOUT)["content"]["language_info"]
        exercise = os.path.join(os.environ["SELFSUP_ROOT"], "Lessons/Exercises/02-nt-xent.lab")
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "work.ipynb")
            subprocess.run([SELFSUP, "export", exercise, "--to", "ipynb", "-o", path], check=True, capture_output=True)
            with open(path) as file:
                exported = json.load(file)["metadata"]["language_info"]
        self.assertEqual(kernel["codemirror_mode"], "ruby")
        self.assertEqual(exported, {key: value for key, value in kernel.items() if key != "version"})

    def test_execution_count_silent_and_store_history(self):
        reply, _ = run(self.kc, "a = 1")
        first = reply["content"]["execution_count"]
        reply, messages = run(self.kc, 'print("quiet")', silent=True)
        self.assertEqual([m["msg_type"] for m in messages if m["msg_type"] != "status"], [],
                         "a silent execution sends no input and no output on iopub")
        reply, _ = run(self.kc, "b = 2", store_history=False)
        self.assertEqual(reply["content"]["execution_count"], first, "store_history false keeps the count")
        reply, messages = run(self.kc, "a + b")
        self.assertEqual(reply["content"]["execution_count"], first + 1)
        self.assertEqual(result_of(messages), "3")
        inputs = [m for m in messages if m["msg_type"] == "execute_input"]
        self.assertEqual(inputs[0]["content"]["execution_count"], first + 1)

    def test_error_carries_the_located_diagnostic(self):
        reply, messages = run(self.kc, "x = 1\ny = x + nope")
        self.assertEqual(reply["content"]["status"], "error")
        error = [m for m in messages if m["msg_type"] == "error"][0]["content"]
        traceback = "\n".join(error["traceback"])
        self.assertIn("In[", traceback)
        self.assertIn(":2:", traceback, "the diagnostic names line 2 of the cell")
        self.assertIn("nope", error["evalue"])
        self.assertIn("^", traceback, "the caret under the source line")

    def test_stop_on_error_aborts_the_queued_cells(self):
        # A cell long enough (~0.3 s) that the second request arrives while it runs.
        first = self.kc.execute("for i in 0..3000000 { }\nundefined_thing")
        second = self.kc.execute('print("must not run")')
        replies = {}
        while len(replies) < 2:
            msg = self.kc.get_shell_msg(timeout=TIMEOUT)
            replies[msg["parent_header"]["msg_id"]] = msg["content"]["status"]
        self.assertEqual(replies[first], "error")
        self.assertEqual(replies[second], "aborted")
        first = self.kc.execute("undefined_thing", stop_on_error=False)
        second = self.kc.execute("40 + 2")
        replies = {}
        while len(replies) < 2:
            msg = self.kc.get_shell_msg(timeout=TIMEOUT)
            replies[msg["parent_header"]["msg_id"]] = msg["content"]["status"]
        self.assertEqual(replies[second], "ok", "without stop_on_error the next cell runs")

    def test_figures_and_a_final_value(self):
        _, messages = run(self.kc, 'show(plot([1, 2, 3], title: "up"))\n7')
        displays = [m for m in messages if m["msg_type"] == "display_data"]
        self.assertEqual(len(displays), 1)
        self.assertIn("<svg", displays[0]["content"]["data"]["image/svg+xml"])
        self.assertEqual(displays[0]["content"]["data"]["text/plain"], "<Figure: up>")
        self.assertEqual(result_of(messages), "7")

    def test_meta_commands_and_help(self):
        run(self.kc, "meta_var = 5")
        _, messages = run(self.kc, ":vars")
        self.assertIn("meta_var", text_of(messages))
        _, messages = run(self.kc, 'help("randn")')
        self.assertIn("randn", text_of(messages))

    def test_completion_positions_and_named_arguments(self):
        self.kc.complete("z = nt_xent(a, b, tem", 21)
        content = self.kc.get_shell_msg(timeout=TIMEOUT)["content"]
        self.assertIn("temperature:", content["matches"])
        self.assertEqual((content["cursor_start"], content["cursor_end"]), (18, 21))
        run(self.kc, "rec = {alpha: 1, beta: 2}")
        self.kc.complete("print(1)\nrec.al", 15)
        content = self.kc.get_shell_msg(timeout=TIMEOUT)["content"]
        self.assertEqual(content["matches"], ["rec.alpha"])
        self.assertEqual(content["cursor_start"], 9)

    def test_inspect_inside_a_call(self):
        self.kc.inspect("loss = nt_xent(", 15)
        content = self.kc.get_shell_msg(timeout=TIMEOUT)["content"]
        self.assertTrue(content["found"])
        self.assertIn("nt_xent", content["data"]["text/plain"])
        self.kc.inspect("no_such_thing_here", 5)
        self.assertFalse(self.kc.get_shell_msg(timeout=TIMEOUT)["content"]["found"])

    def test_is_complete_indent(self):
        self.kc.is_complete("for i in 0..3 {")
        content = self.kc.get_shell_msg(timeout=TIMEOUT)["content"]
        self.assertEqual(content["status"], "incomplete")
        self.assertEqual(content["indent"], "    ")

    def test_many_prints_become_few_stream_messages(self):
        reply, messages = run(self.kc, "for i in 0..20000 { print(i) }")
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertEqual(text_of(messages), "".join(f"{i}\n" for i in range(20000)), "every line, in order")
        streams = [m for m in messages if m["msg_type"] == "stream"]
        # Batched on a 50 ms timer and at 64 KiB: a handful of messages, however slowly it ran.
        self.assertLess(len(streams), 1000, f"{len(streams)} stream messages for 20,000 prints")

    def test_prints_a_display_and_prints_keep_their_order(self):
        code = "for i in 0..50 { print(i) }\nshow(plot([1, 2, 3]))\nfor i in 50..100 { print(i) }\n7"
        reply, messages = run(self.kc, code)
        self.assertEqual(reply["content"]["status"], "ok")
        kinds = [m["msg_type"] for m in messages if m["msg_type"] in ("stream", "display_data", "execute_result")]
        collapsed = [kind for n, kind in enumerate(kinds) if n == 0 or kinds[n - 1] != kind]
        self.assertEqual(collapsed, ["stream", "display_data", "stream", "execute_result"])
        shown = [m for m in messages if m["msg_type"] in ("stream", "display_data")]
        split = next(n for n, m in enumerate(shown) if m["msg_type"] == "display_data")
        self.assertEqual(text_of(shown[:split]), "".join(f"{i}\n" for i in range(50)))
        self.assertEqual(text_of(shown[split:]), "".join(f"{i}\n" for i in range(50, 100)))

    def test_comm_info_is_empty(self):
        self.kc.comm_info()
        content = self.kc.get_shell_msg(timeout=TIMEOUT)["content"]
        self.assertEqual(content, {"status": "ok", "comms": {}})


TRAIN_SETUP = 'kept = 42\ndata = digits()\nenc = mlp([64, 32, 16])'
LONG_TRAIN = 'run = train(enc, data, method: "simclr", epochs: 500, batch_size: 64)'


class ExerciseTests(unittest.TestCase):
    """An exported exercise notebook in the kernel: its marked test cells run as the grader
    runs them and say when they pass; check() grades the marked exercise cells afresh."""

    def setUp(self):
        self.km, self.kc = start()
        self.folder = tempfile.TemporaryDirectory()
        path = os.path.join(self.folder.name, "work.ipynb")
        solution = os.path.join(os.environ["SELFSUP_ROOT"], "Lessons/Exercises/solutions/01-backward.lab")
        subprocess.run([SELFSUP, "export", solution, "--to", "ipynb", "-o", path], check=True, capture_output=True)
        with open(path) as file:
            cells = json.load(file)["cells"]
        self.code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]

    def tearDown(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)
        self.folder.cleanup()

    def test_visible_tests_pass_in_the_notebook_and_check_grades_afresh(self):
        printed = ""
        for code in self.code:
            reply, messages = run(self.kc, code)
            self.assertEqual(reply["content"]["status"], "ok", code)
            printed += text_of(messages)
        self.assertIn("✓ the loss matches the formula (1 point)", printed)
        self.assertIn("✓ the hand gradient matches backward (2 points)", printed)
        _, messages = run(self.kc, "check()")
        self.assertIn("Score: 5/5", text_of(messages))
        self.assertEqual(result_of(messages), "5")
        # A loss changed by hand in the session is not an exercise cell: check() ignores it.
        run(self.kc, "fn loss(x, w, y) { return 0 }")
        _, messages = run(self.kc, "check()")
        self.assertEqual(result_of(messages), "5")
        # A wrong exercise cell, run again with its marker, is what check() grades.
        forward = next(code for code in self.code if code.startswith("# %% [exercise] id=forward"))
        run(self.kc, forward.replace("return mean((a - y) ^ 2)", "return sum((a - y) ^ 2)"))
        _, messages = run(self.kc, "check()")
        self.assertEqual(result_of(messages), "4", "only the loss test fails")


class InterruptTests(unittest.TestCase):
    """A running train stops on an interrupt, shown as a progress display; the session survives."""

    def setUp(self):
        self.km, self.kc = start()

    def tearDown(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)

    def interrupt_during_train(self, interrupt):
        reply, _ = run(self.kc, TRAIN_SETUP)
        self.assertEqual(reply["content"]["status"], "ok")
        msg_id = self.kc.execute(LONG_TRAIN)
        updates = 0
        deadline = time.time() + TIMEOUT
        while updates < 2 and time.time() < deadline:   # the progress display has moved twice
            msg = self.kc.get_iopub_msg(timeout=TIMEOUT)
            if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "update_display_data":
                self.assertTrue(msg["content"]["data"]["text/plain"].startswith("epoch "))
                self.assertIn("display_id", msg["content"]["transient"])
                updates += 1
        self.assertEqual(updates, 2, "the progress bar is an updating display")
        interrupt()
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        self.assertEqual(reply["parent_header"]["msg_id"], msg_id)
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "Interrupted")
        reply, messages = run(self.kc, 'print(kept)\nprint(enc)\nprint(run.interrupted)')
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        self.assertTrue(text_of(messages).startswith("42\n"), text_of(messages))
        self.assertTrue(text_of(messages).endswith("true\n"), "the run so far is kept: " + text_of(messages))

    def test_sigint_stops_train_and_keeps_variables(self):
        self.assertEqual(self.km.kernel_spec.interrupt_mode, "signal")
        self.interrupt_during_train(self.km.interrupt_kernel)

    def test_interrupt_request_stops_train_and_keeps_variables(self):
        def by_message():
            msg = self.kc.session.msg("interrupt_request", {})
            self.kc.control_channel.send(msg)
            reply = self.kc.get_control_msg(timeout=TIMEOUT)
            self.assertEqual(reply["content"]["status"], "ok")
        self.interrupt_during_train(by_message)

    def test_interrupt_stops_whiten(self):
        """whiten's Cholesky and solves poll cancellation: an interrupt ends the cell as
        Interrupted, where it used to run on (tens of seconds) and answer ok."""
        reply, _ = run(self.kc, "kept = 42\nbig = randn(2001, 1998)")
        self.assertEqual(reply["content"]["status"], "ok")
        msg_id = self.kc.execute("w = whiten(big)")
        deadline = time.time() + TIMEOUT
        while time.time() < deadline:
            msg = self.kc.get_iopub_msg(timeout=TIMEOUT)
            if (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status"
                    and msg["content"]["execution_state"] == "busy"):
                break
        time.sleep(1.0)   # inside whiten: without polls it would run to the end and answer ok
        self.km.interrupt_kernel()
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        self.assertEqual(reply["parent_header"]["msg_id"], msg_id)
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "Interrupted")
        reply, messages = run(self.kc, "print(kept)")
        self.assertEqual(text_of(messages), "42\n")

    def test_restart_gives_a_fresh_session(self):
        run(self.kc, "before_restart = 1")
        pid = self.km.provisioner.process.pid
        self.km.restart_kernel(now=False)   # sends shutdown_request(restart=True), starts anew
        self.kc.wait_for_ready(timeout=TIMEOUT)
        self.assertNotEqual(self.km.provisioner.process.pid, pid)
        reply, _ = run(self.kc, "before_restart")
        self.assertEqual(reply["content"]["status"], "error", "the old variables are gone")
        reply, messages = run(self.kc, "1 + 2")
        self.assertEqual(result_of(messages), "3")
        self.assertEqual(reply["content"]["execution_count"], 2)


class RobustnessTests(unittest.TestCase):
    """Refused messages and a lost client, with the kernel started by hand."""

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.km = KernelManager(kernel_name=KERNEL)
        self.km.write_connection_file()
        with open(self.km.connection_file) as file:
            self.info = json.load(file)
        self.log = open(os.path.join(self.dir.name, "kernel.log"), "w+")

    def tearDown(self):
        self.log.close()
        self.dir.cleanup()

    def endpoint(self, port):
        return f"tcp://{self.info['ip']}:{self.info[port]}"

    def start_kernel(self):
        """The kernel on the connection file as self.info has it now."""
        with open(self.km.connection_file, "w") as file:
            json.dump(self.info, file)
        return subprocess.Popen([SELFSUP, "kernel", "--quick", "--connection-file", self.km.connection_file],
                                stderr=self.log)

    def stop_kernel(self, kernel):
        if kernel.poll() is None:
            kernel.kill()
        kernel.wait(timeout=TIMEOUT)

    def kernel_log(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def reply(self, session, socket):
        """The next reply on a DEALER socket, waiting as long as a busy machine may need."""
        self.assertTrue(socket.poll(TIMEOUT * 1000), "the kernel answers")
        return session.recv(socket)[1]

    def execute(self, session, socket, code):
        session.send(socket, "execute_request", {"code": code, "silent": False, "store_history": True,
                                                 "user_expressions": {}, "allow_stdin": False})
        return self.reply(session, socket)

    def test_a_replayed_request_is_refused(self):
        kernel = self.start_kernel()
        context = zmq.Context()
        shell = context.socket(zmq.DEALER)
        shell.connect(self.endpoint("shell_port"))
        try:
            session = Session(key=self.info["key"].encode())
            self.assertEqual(self.execute(session, shell, "replays = 0")["content"]["status"], "ok")
            captured = session.serialize(session.msg("execute_request", {
                "code": "replays = replays + 1", "silent": False, "store_history": True,
                "user_expressions": {}, "allow_stdin": False}))
            shell.send_multipart(captured)
            first = self.reply(session, shell)
            self.assertEqual(first["content"]["status"], "ok")
            shell.send_multipart(captured)   # the same bytes again
            shell.send_multipart([captured[0], captured[1].upper()] + captured[2:])   # the same signature, upper case
            session.send(shell, "kernel_info_request", {})
            self.assertEqual(self.reply(session, shell)["msg_type"], "kernel_info_reply",
                             "the replays got no reply")
            check = self.execute(session, shell, "expect(replays == 1, \"ran once\")")
            self.assertEqual(check["content"]["status"], "ok", check["content"])
            self.assertEqual(check["content"]["execution_count"], first["content"]["execution_count"] + 1,
                             "the replays did not run")
            self.assertEqual(self.kernel_log().count("a replay (its signature was seen before)"), 2)
            session.send(shell, "shutdown_request", {"restart": False})
            kernel.wait(timeout=TIMEOUT)
        finally:
            shell.close(linger=0)
            context.term()
            self.stop_kernel(kernel)

    def test_oversized_messages_are_refused(self):
        kernel = self.start_kernel()
        context = zmq.Context()
        shell = context.socket(zmq.DEALER)
        shell.connect(self.endpoint("shell_port"))
        try:
            session = Session(key=self.info["key"].encode())
            self.assertEqual(self.execute(session, shell, "big = 0")["content"]["status"], "ok")
            request = {"silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False}
            # Frames each under the 4 MiB limit that add up to more: read, dropped, logged.
            session.send(shell, "execute_request", dict(request, code="big = 1"),
                         buffers=[b"x" * (3 << 20), b"x" * (3 << 20)])
            session.send(shell, "kernel_info_request", {})
            self.assertEqual(self.reply(session, shell)["msg_type"], "kernel_info_reply",
                             "the oversized request got no reply")
            self.assertIn("over the limit of 4194304 bytes a message may have", self.kernel_log())
            # One frame over the limit: libzmq refuses it from its length and drops the
            # connection, which the client makes again. Ask until the kernel answers.
            session.send(shell, "execute_request", dict(request, code="big = 2\n#" + "x" * (5 << 20)))
            deadline = time.time() + TIMEOUT
            answer = None
            while answer is None and time.time() < deadline:
                session.send(shell, "kernel_info_request", {})
                if shell.poll(5000):
                    answer = session.recv(shell)[1]
            self.assertIsNotNone(answer, "the kernel answers after refusing a frame over the limit")
            self.assertEqual(answer["msg_type"], "kernel_info_reply", "the oversized request got no reply")
            while shell.poll(1000):   # the other kernel_info replies, if several got through
                self.assertEqual(session.recv(shell)[1]["msg_type"], "kernel_info_reply")
            check = self.execute(session, shell, "expect(big == 0, \"no oversized request ran\")")
            self.assertEqual(check["content"]["status"], "ok", check["content"])
            self.assertIsNone(kernel.poll(), "the kernel is still running")
        finally:
            shell.close(linger=0)
            context.term()
            self.stop_kernel(kernel)

    def test_a_connection_file_without_key_is_refused(self):
        del self.info["key"]
        kernel = self.start_kernel()
        try:
            status = kernel.wait(timeout=TIMEOUT)
        finally:
            self.stop_kernel(kernel)
        self.assertNotEqual(status, 0, "the kernel refuses to start")
        log = self.kernel_log()
        self.assertIn('has no "key": refusing to start', log)
        self.assertIn('"key": "" turns signing off', log)

    def test_ipc_socket_files_are_removed_at_shutdown(self):
        self.info.update(transport="ipc", ip=os.path.join(self.dir.name, "kernel"))
        files = [f"{self.info['ip']}-{self.info[port]}"
                 for port in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")]
        kernel = self.start_kernel()
        context = zmq.Context()
        shell = context.socket(zmq.DEALER)
        shell.connect(f"ipc://{files[0]}")
        try:
            session = Session(key=self.info["key"].encode())
            session.send(shell, "kernel_info_request", {})
            self.assertEqual(self.reply(session, shell)["msg_type"], "kernel_info_reply")
            self.assertEqual([os.path.exists(f) for f in files], [True] * 5, "the kernel made its socket files")
            session.send(shell, "shutdown_request", {"restart": False})
            self.assertEqual(self.reply(session, shell)["msg_type"], "shutdown_reply")
            kernel.wait(timeout=TIMEOUT)
            self.assertEqual([os.path.exists(f) for f in files], [False] * 5, "and removed them at shutdown")
        finally:
            shell.close(linger=0)
            context.term()
            self.stop_kernel(kernel)

    def test_malformed_and_wrongly_signed_messages_are_refused(self):
        kernel = subprocess.Popen([SELFSUP, "kernel", "--quick", "--connection-file", self.km.connection_file],
                                  stderr=self.log)
        try:
            context = zmq.Context()
            shell = context.socket(zmq.DEALER)
            shell.connect(self.endpoint("shell_port"))
            good = Session(key=self.info["key"].encode())
            bad = Session(key=b"not-the-key")
            time.sleep(0.5)
            bad.send(shell, "execute_request", {"code": "print(1)", "silent": False})
            shell.send_multipart([b"garbage"])
            shell.send_multipart([b"<IDS|MSG>", b"sig", b"{}", b"{}"])
            good.send(shell, "kernel_info_request", {})
            self.assertTrue(shell.poll(TIMEOUT * 1000), "the kernel still answers")
            _, reply = good.recv(shell)
            self.assertEqual(reply["msg_type"], "kernel_info_reply", "the wrongly signed request got no reply")
            self.assertFalse(shell.poll(500), "nothing else came back")
            self.assertIsNone(kernel.poll(), "the kernel is still running")
            self.log.flush()
            self.log.seek(0)
            log = self.log.read()
            self.assertIn("wrong signature", log)
            self.assertIn("no <IDS|MSG> delimiter", log)
            self.assertIn("frames after the delimiter", log)
            good.send(shell, "shutdown_request", {"restart": False})
            kernel.wait(timeout=10)
            shell.close(linger=0)
            context.term()
        finally:
            if kernel.poll() is None:
                kernel.kill()

    def test_a_lost_client_does_not_leave_the_kernel_running(self):
        # The kernel's parent (standing in for the client that started it) is killed.
        parent = subprocess.Popen(["sh", "-c", f'"{SELFSUP}" kernel --quick --connection-file "{self.km.connection_file}" & echo $!; wait'],
                                  stdout=subprocess.PIPE, stderr=self.log, text=True)
        pid = int(parent.stdout.readline())
        time.sleep(3)
        ticks = os.sysconf("SC_CLK_TCK")
        def stat_fields():
            with open(f"/proc/{pid}/stat") as file:
                return file.read().rsplit(")", 1)[1].split()
        def cpu_seconds():
            fields = stat_fields()
            return (int(fields[11]) + int(fields[12])) / ticks
        def running():
            try:
                return stat_fields()[0] != "Z"
            except FileNotFoundError:
                return False
        before = cpu_seconds()
        time.sleep(2)
        idle = cpu_seconds() - before
        self.assertLess(idle, 0.2, f"an idle kernel sleeps (used {idle:.2f} s of CPU in 2 s)")
        parent.kill()
        parent.wait()
        parent.stdout.close()
        deadline = time.time() + 10
        while time.time() < deadline and running():
            time.sleep(0.2)
        alive = running()
        if alive:
            os.kill(pid, signal.SIGKILL)
        self.assertFalse(alive, "the kernel exits when the process that started it is gone")


class SigningTests(unittest.TestCase):
    """An empty key, which the protocol allows, turns signing off, and the kernel says so."""

    def test_an_empty_key_runs_unsigned_and_is_logged(self):
        with tempfile.TemporaryDirectory() as scratch:
            log_path = os.path.join(scratch, "kernel.log")
            km = KernelManager(kernel_name=KERNEL)
            km.session.key = b""
            with open(log_path, "w") as log:
                km.start_kernel(stderr=log)
            kc = km.client()
            kc.start_channels()
            try:
                kc.wait_for_ready(timeout=TIMEOUT)
                with open(km.connection_file) as file:
                    self.assertEqual(json.load(file)["key"], "")
                reply, messages = run(kc, "6 * 7")
                self.assertEqual(result_of(messages), "42")
            finally:
                kc.stop_channels()
                km.shutdown_kernel(now=True)
            with open(log_path) as log:
                self.assertIn("signing off", log.read())


if __name__ == "__main__":
    unittest.main(verbosity=2)
