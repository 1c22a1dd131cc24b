"""threadlab.py's reading of its interpreter, its findings and its link, with the interpreter faked."""

import base64
import concurrent.futures
import contextlib
import importlib.util
import io
import json
import os
import pathlib
import socket
import tempfile
import types
import unittest
import unittest.mock

SCRIPT = pathlib.Path(__file__).parents[2] / "www" / "public" / "threadlab.py"
spec = importlib.util.spec_from_file_location("threadlab", SCRIPT)
threadlab = importlib.util.module_from_spec(spec)
spec.loader.exec_module(threadlab)


def fake(version=(3, 13, 1), gil_disabled=None, gil_enabled=None, cores=8):
    """The modules interpreter() reads, as a given Python would have them."""
    sys_ = types.SimpleNamespace(version_info=version, getswitchinterval=lambda: 0.005)
    if gil_enabled is not None:
        sys_._is_gil_enabled = lambda: gil_enabled
    sysconfig_ = types.SimpleNamespace(get_config_var=lambda name: gil_disabled if name == "Py_GIL_DISABLED" else None)
    os_ = types.SimpleNamespace(process_cpu_count=lambda: cores) if version >= (3, 13) else types.SimpleNamespace(
        cpu_count=lambda: cores
    )
    platform_ = types.SimpleNamespace(
        python_implementation=lambda: "CPython", python_version=lambda: ".".join(map(str, version)), system=lambda: "Linux"
    )
    return threadlab.interpreter(sys_, sysconfig_, os_, platform_)


class Interpreter(unittest.TestCase):
    def test_a_gil_only_build_has_its_gil_on(self):
        info = fake(version=(3, 11, 7), cores=2)
        self.assertEqual((info["freeThreaded"], info["gilEnabled"], info["cores"]), (False, True, 2))
        self.assertEqual((info["switchMs"], info["interpreters"]), (5.0, False))
        self.assertEqual(threadlab.describe(info), "CPython 3.11.7, GIL on, 2 cores (Linux)")

    def test_a_free_threaded_build_with_its_gil_on_and_off(self):
        on = fake(gil_disabled=1, gil_enabled=True)
        self.assertEqual(threadlab.describe(on), "CPython 3.13.1, free-threaded, GIL on, 8 cores (Linux)")
        off = fake(gil_disabled=1, gil_enabled=False)
        self.assertEqual((off["freeThreaded"], off["gilEnabled"]), (True, False))
        self.assertEqual(threadlab.describe(off), "CPython 3.13.1, free-threaded, GIL off, 8 cores (Linux)")

    def test_no_interpreter_pool_before_3_14(self):
        self.assertFalse(threadlab.has_interpreter_pool(types.SimpleNamespace(version_info=(3, 13, 1))))
        self.assertFalse(fake(version=(3, 13, 1))["interpreters"])


def run(mode, walls, spawn=None):
    shared = {"mode": mode, "walls": walls, "correct": True}
    if spawn:
        shared["spawn"] = spawn
    return shared


class Findings(unittest.TestCase):
    def test_the_three_findings_from_the_medians(self):
        runs = {
            "single": run("single", [100.0, 101.0, 99.0]),
            "threads": run("threads", [102.0, 101.5, 103.0]),
            "processes": run("processes", [55.0, 56.0, 54.0], spawn=[5.0, 4.5, 6.0]),
            "io-sequential": run("io-sequential", [500.0, 501.0, 502.0]),
            "io-concurrent": run("io-concurrent", [51.0, 52.0, 50.0]),
        }
        words = threadlab.findings(runs, {"gilEnabled": True})
        self.assertEqual(
            words,
            [
                "CPU in threads: threads 0.98x single (inside the noise): the GIL lets one thread compute at a time.",
                "CPU in processes: processes 1.82x single: each has its own GIL (processes spent 5.0 of 55.0 ms "
                "starting).",
                "Waiting on the network: io-concurrent 9.82x io-sequential: a thread waiting on I/O lets go of the "
                "GIL.",
            ],
        )
        runs["threads"] = run("threads", [52.0, 51.0, 53.0])
        self.assertEqual(
            threadlab.findings(runs, {"gilEnabled": False})[0],
            "CPU in threads: threads 1.92x single: the GIL is off: threads compute at once.",
        )


    def test_a_run_that_did_not_do_its_work_is_named_not_timed(self):
        runs = {
            "single": dict(run("single", [100.0]), values=[55, 54], correct=False),
            "threads": run("threads", [100.0]),
            "io-sequential": run("io-sequential", [5.0]),
            "io-concurrent": dict(
                run("io-concurrent", [1.0]), jobs=[0.5, 0.5], failed=[[0, "timed out"], [1, "timed out"]], correct=False
            ),
        }
        self.assertEqual(
            threadlab.findings(runs, {"gilEnabled": True}),
            [
                "Not timed against the others: single: wrong values (55, 54); io-concurrent: 2 of 2 requests failed "
                "(timed out)."
            ],
        )


def main(argv):
    """threadlab.main(argv): what it returned and printed, or the SystemExit and what it printed before it, with every
    job it computed (the experiment's work) counted."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), unittest.mock.patch.object(
        threadlab, "job", unittest.mock.Mock(wraps=threadlab.job)
    ) as job:
        try:
            returned = threadlab.main(argv)
        except SystemExit as exit:
            returned = exit
    return returned, out.getvalue(), err.getvalue(), job.call_count


def closed_port():
    """A port of 127.0.0.1 that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Main(unittest.TestCase):
    def test_cpu_modes_alone_start_no_endpoint_and_write_their_figures(self):
        with tempfile.TemporaryDirectory() as folder:
            file = os.path.join(folder, "figures.json")
            with contextlib.redirect_stdout(io.StringIO()) as said:
                threadlab.main(["--modes", "single,threads", "--n", "5", "--repeats", "1", "--json", file])
            with open(file) as written:
                figures = json.load(written)
        self.assertNotIn("requests to", said.getvalue())
        self.assertEqual([run["mode"] for run in figures["runs"]], ["single", "threads"])
        self.assertTrue(all(run["correct"] and len(run["jobs"]) == 2 for run in figures["runs"]))
        self.assertEqual([run["values"] for run in figures["runs"]], [[5, 5], [5, 5]], "each job's fib(5)")

    def test_each_requests_status_goes_into_the_figures(self):
        with tempfile.TemporaryDirectory() as folder:
            file = os.path.join(folder, "figures.json")
            argv = ["--modes", "io-sequential,io-workers", "--requests", "2", "--delay-ms", "0", "--repeats", "1"]
            returned, said, _, _ = main(argv + ["--json", file])
            with open(file) as written:
                figures = json.load(written)
        self.assertEqual(returned, 0, said)
        shown = [(run["statuses"], run["failed"], run["correct"], "values" in run) for run in figures["runs"]]
        self.assertEqual(shown, [([200, 200], [], True, False)] * 2)

    def test_requests_that_fail_are_said_to_fail_with_their_error_not_to_be_wrong_values(self):
        url = f"http://127.0.0.1:{closed_port()}/"
        with tempfile.TemporaryDirectory() as folder:
            file = os.path.join(folder, "figures.json")
            argv = ["--modes", "io-sequential,io-concurrent", "--requests", "2", "--repeats", "1", "--url", url]
            _, said, _, _ = main(argv + ["--json", file])
            with open(file) as written:
                figures = json.load(written)
        self.assertNotIn("WRONG VALUES", said)
        self.assertRegex(said, r"\nio-sequential .* 2 of 2 failed\n")
        self.assertRegex(said, r"- Not timed against the others: io-sequential: 2 of 2 requests failed \(\w*Refused")
        self.assertNotIn("Waiting on the network", said, "no ratio of runs whose requests failed")
        for run in figures["runs"]:
            outcome = (run["correct"], run["statuses"], [i for i, _ in run["failed"]])
            self.assertEqual(outcome, (False, [None] * 2, [0, 1]), run)
            self.assertTrue(all(error.startswith("ConnectionRefusedError: ") for _, error in run["failed"]), run)

    def test_wrong_values_are_wrong_values(self):
        with unittest.mock.patch.object(threadlab, "fib", lambda n: 7):
            _, said, _, _ = main(["--modes", "single", "--n", "5", "--repeats", "1"])
        self.assertRegex(said, r"\nsingle .*  WRONG VALUES\n")
        self.assertIn("- Not timed against the others: single: wrong values (7, 7).", said)

    def test_a_bad_page_or_json_is_refused_before_the_run(self):
        with tempfile.TemporaryDirectory() as folder:
            refused = {
                ("--page", "javascript:alert(1)"): "--page must be an http or https address",
                ("--json", "/proc/threadlab.json"): "--json: /proc/threadlab.json cannot be written",
                ("--json", folder): f"--json: {folder} is a folder",
                ("--json", os.path.join(folder, "none", "f.json")): "--json: there is no folder ",
            }
            for argv, message in refused.items():
                with self.subTest(argv=argv):
                    returned, said, why, computed = main(["--modes", "single,io-sequential", "--n", "5", *argv])
                    self.assertIsInstance(returned, SystemExit)
                    self.assertIn(message, why)
                    self.assertEqual((said, computed), ("", 0), "the run did not start: nothing said, nothing computed")
            self.assertEqual(os.listdir(folder), [], "the check leaves no file behind")

    def test_figures_that_cannot_be_written_after_the_run_are_still_given(self):
        # The folder is there when the run starts (the check passes), and gone when it ends.
        with tempfile.TemporaryDirectory() as folder:
            gone = os.path.join(folder, "gone")
            os.mkdir(gone)
            file = os.path.join(gone, "figures.json")
            measure = threadlab.measure

            def measured(*args):
                if os.path.isdir(gone):
                    os.rmdir(gone)
                return measure(*args)

            argv = ["--modes", "single", "--n", "5", "--repeats", "1", "--json", file]
            with unittest.mock.patch.object(threadlab, "measure", measured):
                with_page = main(argv + ["--page", "https://lab.test/"])
                os.mkdir(gone)
                without = main(argv)
        returned, said, why, _ = with_page
        self.assertEqual(returned, 1)
        self.assertIn(f"The figures could not be written to {file} (No such file or directory)", why)
        self.assertRegex(said, r"\nhttps://lab\.test/\?experiment=python&.*#share=5\.", "the link, with the figures")
        returned, said, why, _ = without
        self.assertEqual(returned, 1)
        figures = json.loads(said.split("Here they are, to paste into threadlab's Python room:\n")[1])
        self.assertEqual(figures["runs"][0]["values"], [5, 5])


    def test_interpreters_on_3_14_go_into_the_figures_with_their_start(self):
        # This machine has no 3.14: its InterpreterPoolExecutor is played by a thread pool, which runs the very job
        # source an interpreter gets (the builtin eval of INTERPRETER_JOB).
        on_3_14 = dict(threadlab.interpreter(), interpreters=True)
        with tempfile.TemporaryDirectory() as folder, contextlib.ExitStack() as stack:
            stack.enter_context(unittest.mock.patch.object(threadlab, "interpreter", lambda: on_3_14))
            pool = unittest.mock.patch.object(
                concurrent.futures, "InterpreterPoolExecutor", concurrent.futures.ThreadPoolExecutor, create=True
            )
            stack.enter_context(pool)
            file = os.path.join(folder, "figures.json")
            argv = ["--modes", "single,interpreters", "--n", "12", "--repeats", "1", "--json", file]
            with contextlib.redirect_stdout(io.StringIO()):
                threadlab.main(argv)
            with open(file) as written:
                figures = json.load(written)
        self.assertEqual(figures["settings"]["modes"], "single,interpreters")
        interpreters = figures["runs"][1]
        shown = (interpreters["mode"], interpreters["correct"], len(interpreters["jobs"]))
        self.assertEqual(shown, ("interpreters", True, 2))
        self.assertTrue(0 <= interpreters["spawn"][0] <= interpreters["walls"][0], interpreters)


class Link(unittest.TestCase):
    def test_the_link_carries_the_settings_in_its_query_and_the_figures_in_format_5(self):
        args = threadlab.arguments(["--n", "20", "--repeats", "2"])
        figures = {"settings": threadlab.settings(args, ["single"]), "python": {}, "runs": []}
        address = threadlab.link("https://example.test/lab/?old=1#x", figures)
        query, fragment = address.split("#")
        self.assertTrue(query.startswith("https://example.test/lab/?experiment=python&modes=single&n=20"), query)
        self.assertTrue(fragment.startswith("share=5."))
        data = fragment[len("share=5.") :]
        self.assertEqual(json.loads(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))), figures)

    def test_bad_arguments_are_refused_by_name(self):
        refused = {
            ("--n", "46"): "argument --n: 46 is not from 0 to 45",
            ("--n", "x"): "argument --n: invalid whole number value: 'x'",
            ("--modes", "single,fast"): "no such mode: fast (the modes: single, threads,",
            ("--url", "ftp://x"): "--url must be an http or https address",
            ("--url", "http:no-host"): "--url must be an http or https address",
            ("--page", "javascript:alert(1)"): "--page must be an http or https address",
            ("--page", "file:///etc/passwd"): "--page must be an http or https address",
            ("--switch-ms", "0"): "--switch-ms must be from 0.1 to 100",
        }
        for argv, message in refused.items():
            said = io.StringIO()
            with self.subTest(argv=argv), self.assertRaises(SystemExit), contextlib.redirect_stderr(said):
                threadlab.arguments(list(argv))
            self.assertIn(message, said.getvalue())


class Endpoint(unittest.TestCase):
    def test_its_backlog_is_set_where_listen_reads_it(self):
        self.assertGreaterEqual(threadlab.Server.request_queue_size, threadlab.MAX_REQUESTS)

    def test_io_concurrent_requests_to_it_overlap(self):
        # More requests at once than listen()'s default backlog of 5 let in: each one's connection must be open before
        # any of them is answered. A connection left to the client's SYN retry opens about 1 s late, after the others
        # have ended.
        k = 12
        args = threadlab.arguments(["--requests", str(k), "--delay-ms", "300"])
        with threadlab.Endpoint() as endpoint:
            urls = [endpoint.url(args.delay_ms, i) for i in range(k)]
            requests = threadlab.run_io(args, "io-concurrent", urls)["jobs"]
        self.assertEqual([(r.status, r.error) for r in requests], [(200, None)] * k)
        latest_open = max(r.connected for r in requests)
        earliest_end = min(r.end for r in requests)
        self.assertLess(latest_open, earliest_end, [(r.start, r.connected, r.end) for r in requests])
        self.assertLess(max(r.start for r in requests), earliest_end)


if __name__ == "__main__":
    unittest.main()
