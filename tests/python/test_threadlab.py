"""threadlab.py's reading of its interpreter, its findings and its link, with the interpreter faked."""

import base64
import concurrent.futures
import contextlib
import hashlib
import importlib.util
import io
import json
import os
import pathlib
import pickle
import socket
import tempfile
import types
import unittest
import unittest.mock

SCRIPT = pathlib.Path(__file__).parents[2] / "www" / "public" / "threadlab.py"
spec = importlib.util.spec_from_file_location("threadlab", SCRIPT)
threadlab = importlib.util.module_from_spec(spec)
spec.loader.exec_module(threadlab)

# The values of this file's runs: fib(12), and sha256 of 1 MiB whose byte i is i mod 256 (its digest's first 6 bytes).
FIB_12 = 144
SHA256_1 = int.from_bytes(hashlib.sha256(bytes(i % 256 for i in range(1 << 20))).digest()[:6], "big")


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
        fib = threadlab.arguments([])
        words = threadlab.findings(runs, {"gilEnabled": True}, fib)
        self.assertEqual(
            words,
            [
                "fib(30) in threads: threads 0.98x single (inside the noise): the GIL lets one thread compute at a "
                "time.",
                "fib(30) in processes: processes 1.82x single: each has its own GIL (processes spent 5.0 of 55.0 ms "
                "starting).",
                "Waiting on the network: io-concurrent 9.82x io-sequential: a thread waiting on I/O lets go of the "
                "GIL.",
            ],
        )
        runs["threads"] = run("threads", [52.0, 51.0, 53.0])
        self.assertEqual(
            threadlab.findings(runs, {"gilEnabled": False}, fib)[0],
            "fib(30) in threads: threads 1.92x single: the GIL is off: threads compute at once.",
        )

    def test_sha256_and_its_copies_in_are_named_in_the_findings(self):
        sha256 = threadlab.arguments(["--work", "sha256", "--payload-mb", "8"])
        runs = {
            "single": run("single", [100.0, 101.0, 99.0]),
            "threads": run("threads", [52.0, 51.0, 53.0]),
            "processes": dict(run("processes", [60.0, 61.0, 59.0], spawn=[5.0, 4.5, 6.0]), copy=3.3),
        }
        self.assertEqual(
            threadlab.findings(runs, {"gilEnabled": True}, sha256),
            [
                "sha256 of 16 MiB in threads: threads 1.92x single: hashlib lets go of the GIL while it hashes: "
                "threads hash at once.",
                "sha256 of 16 MiB in processes: processes 1.67x single: each has its own GIL (processes spent 5.0 of "
                "60.0 ms starting and 3.3 ms a job copying its payload in).",
            ],
        )
        runs["threads"] = run("threads", [101.0, 100.5, 102.0])
        self.assertEqual(
            threadlab.findings(runs, {"gilEnabled": True}, sha256)[0],
            "sha256 of 16 MiB in threads: threads 0.99x single (inside the noise): hashlib lets go of the GIL while it "
            "hashes, yet no gain.",
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
            threadlab.findings(runs, {"gilEnabled": True}, threadlab.arguments([])),
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


def figures_of(argv):
    """threadlab.main(argv)'s figures, as --json writes them, and what it printed. Its job is its own: an interpreter is
    given the job's source."""
    with tempfile.TemporaryDirectory() as folder, contextlib.redirect_stdout(io.StringIO()) as said:
        file = os.path.join(folder, "figures.json")
        returned = threadlab.main(argv + ["--json", file])
        with open(file) as written:
            figures = json.load(written)
    assert returned == 0, (returned, said.getvalue())
    return figures, said.getvalue()


class PicklingPool(concurrent.futures.ThreadPoolExecutor):
    """InterpreterPoolExecutor as Python 3.14 has it, played by threads: each worker pickles the call on its way in."""

    def submit(self, fn, *args):
        return super().submit(lambda: fn(*pickle.loads(pickle.dumps(args))))


@contextlib.contextmanager
def on_3_14():
    """This Python, with an InterpreterPoolExecutor: the very job source an interpreter gets (the builtin eval of
    INTERPRETER_JOB), its scope pickled as 3.14 pickles it, run by a thread of this interpreter."""
    with_pool = dict(threadlab.interpreter(), interpreters=True)
    with unittest.mock.patch.object(threadlab, "interpreter", lambda: with_pool), unittest.mock.patch.object(
        concurrent.futures, "InterpreterPoolExecutor", PicklingPool, create=True
    ):
        yield


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

    def test_a_bad_argument_is_refused_before_the_run(self):
        with tempfile.TemporaryDirectory() as folder:
            refused = {
                ("--work", "md5"): "argument --work: invalid choice: 'md5'",
                ("--mib", "257"): "argument --mib: 257 is not from 1 to 256",
                ("--payload-mb", "129"): "argument --payload-mb: 129 is not from 0 to 128",
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
        with on_3_14():
            figures, _ = figures_of(["--modes", "single,interpreters", "--n", "12", "--repeats", "1"])
        self.assertEqual(figures["settings"]["modes"], "single,interpreters")
        interpreters = figures["runs"][1]
        shown = (interpreters["mode"], interpreters["correct"], interpreters["values"])
        self.assertEqual(shown, ("interpreters", True, [FIB_12] * 2))
        self.assertTrue(0 <= interpreters["spawn"][0] <= interpreters["walls"][0], interpreters)
        self.assertNotIn("copy", interpreters, "no payload, no copy in")


class Work(unittest.TestCase):
    def test_each_work_is_right_in_every_cpu_mode_this_python_has(self):
        modes = [mode for mode in threadlab.CPU_MODES if mode != "interpreters" or threadlab.has_interpreter_pool()]
        for work, value in (("fib", FIB_12), ("sha256", SHA256_1)):
            argv = ["--modes", ",".join(modes), "--work", work, "--n", "12", "--mib", "1", "--repeats", "1"]
            with self.subTest(work=work):
                figures, said = figures_of(argv)
                shown = [(run["mode"], run["values"], run["correct"]) for run in figures["runs"]]
                self.assertEqual(shown, [(mode, [value] * 2, True) for mode in modes])
                self.assertEqual(figures["settings"]["work"], work)
        self.assertIn(": sha256 of 1 MiB x 2.", said, "the plan names the work")
        self.assertIn("for _ in range(k): sha256 of 1 MiB", said, "and so does the table")

    def test_an_interpreter_computes_sha256_from_the_job_source_it_is_given(self):
        with on_3_14():
            figures, _ = figures_of(["--modes", "interpreters", "--work", "sha256", "--mib", "1", "--repeats", "1"])
        self.assertEqual([(run["values"], run["correct"]) for run in figures["runs"]], [([SHA256_1] * 2, True)])


class Payload(unittest.TestCase):
    def test_every_mode_reads_it_and_processes_and_interpreters_are_handed_a_copy_each(self):
        # Each 4 KiB page of this payload starts with a 1: a job that reads a byte of each page reads 3.
        payload = bytes([1]) * (3 * 4096)
        args = threadlab.arguments(["--n", "5", "--payload-mb", "1"])
        reduce = threadlab.Parcel.__reduce__
        for mode in threadlab.CPU_MODES:
            packed = []

            def counted(parcel):
                packed.append(parcel.payload)
                return reduce(parcel)

            packing = unittest.mock.patch.object(threadlab.Parcel, "__reduce__", counted)
            with self.subTest(mode=mode), on_3_14(), packing:
                out = threadlab.once(args, mode, [], payload)
                done = [(value, read) for value, _, _, read in out["jobs"]]
                self.assertEqual(done, [(5, 3)] * 2, "each job read the payload, then did its work")
                if mode in ("single", "threads"):
                    self.assertEqual((packed, "copies" in out), ([], False), "the payload where it is, no copy")
                else:
                    self.assertEqual(packed, [payload] * 2, "pickled: a copy for each job")
                    self.assertEqual(len(out["copies"]), 2, "each job's copy in")
                    self.assertTrue(all(copy >= 0 for copy in out["copies"]), out["copies"])

    def test_a_job_that_read_another_payload_did_not_do_its_work(self):
        args = threadlab.arguments(["--modes", "single", "--n", "5", "--payload-mb", "1", "--repeats", "1"])
        job = threadlab.job
        with unittest.mock.patch.object(threadlab, "job", lambda *given: job(*given)[:3] + (1,)):
            self.assertFalse(threadlab.measure(args, "single", [], threadlab.pattern(1))["correct"])

    def test_the_figures_carry_a_jobs_mean_copy_in_where_there_was_a_copy(self):
        argv = ["--modes", "single,threads,processes", "--n", "5", "--repeats", "1"]
        figures, said = figures_of(argv + ["--payload-mb", "1"])
        copies = {run["mode"]: run.get("copy") for run in figures["runs"]}
        self.assertEqual((copies["single"], copies["threads"]), (None, None))
        self.assertGreaterEqual(copies["processes"], 0)
        self.assertTrue(all(run["correct"] for run in figures["runs"]), figures["runs"])
        self.assertEqual(figures["settings"]["payloadMb"], "1")
        self.assertIn("fib(5) x 2, after reading a payload of 1 MiB.", said, "the plan says the payload")
        self.assertIn("each of the processes is handed a copy, whose copying in is timed apart", said)
        self.assertRegex(said, r"spawn ms  copy ms\n")
        figures, said = figures_of(argv)
        self.assertEqual([run for run in figures["runs"] if "copy" in run], [], "no payload, no copy")
        self.assertNotIn("copy ms", said)


class Bend(unittest.TestCase):
    def test_payloads_run_the_bends_modes_each_at_its_work_and_payload_with_right_values(self):
        figures, said = figures_of(["--payloads", "8,0", "--n", "12", "--mib", "1", "--repeats", "1"])
        self.assertEqual(
            [(run["mode"], run["work"], run["payload"]) for run in figures["runs"]],
            [
                ("single", "fib", 0),
                ("threads", "fib", 0),
                ("single", "sha256", 0),
                ("threads", "sha256", 0),
                ("processes", "fib", 0),
                ("single", "fib", 8),
                ("threads", "fib", 8),
                ("processes", "fib", 8),
            ],
        )
        self.assertTrue(all(run["correct"] for run in figures["runs"]), figures["runs"])
        self.assertEqual({v for run in figures["runs"] if run["work"] == "sha256" for v in run["values"]}, {SHA256_1})
        copied = [run for run in figures["runs"] if "copy" in run]
        self.assertEqual([(run["mode"], run["payload"]) for run in copied], [("processes", 8)], "only a process copies")
        self.assertEqual(figures["settings"]["experiment"], "bend")
        self.assertEqual(figures["settings"]["payloads"], "0,8")
        self.assertIn("with a payload of 0, 8 MiB a job", said.split("Nothing is sent")[0], "said before it runs")
        # Whatever the timings, the findings name each work in threads and say how processes did against threads.
        self.assertRegex(said, r"- fib\(12\) in threads: [\d.]+x single")
        self.assertRegex(said, r"- sha256 of 1 MiB in threads: [\d.]+x single")
        self.assertRegex(said, r"- Processes (stopped winning at 8 MiB|won at every payload|did not win even with 0 MiB)")

    def test_its_link_opens_the_bend_in_format_6_with_its_fields_only(self):
        args = threadlab.arguments(["--payloads", "0,32", "--n", "30", "--page", "https://example.test/"])
        settings = threadlab.bend_settings(args)
        query, fragment = threadlab.link(args, {"settings": settings}).split("#")
        self.assertEqual(
            query, "https://example.test/?experiment=bend&n=30&mib=16&workers=2&repeats=3&switchMs=5&payloads=0%2C32"
        )
        self.assertTrue(fragment.startswith("share=6."), fragment[:10])


class Link(unittest.TestCase):
    def test_the_link_carries_the_settings_in_its_query_and_the_figures_in_format_5(self):
        args = threadlab.arguments(["--n", "20", "--repeats", "2", "--page", "https://example.test/lab/?old=1#x"])
        figures = {"settings": threadlab.settings(args, ["single"]), "python": {}, "runs": []}
        address = threadlab.link(args, figures)
        query, fragment = address.split("#")
        self.assertTrue(query.startswith("https://example.test/lab/?experiment=python&modes=single&n=20"), query)
        self.assertTrue(fragment.startswith("share=5."))
        data = fragment[len("share=5.") :]
        self.assertEqual(json.loads(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))), figures)

    def test_the_work_and_the_payload_are_in_the_settings_and_need_format_6(self):
        formats = {
            (): (("fib", "16", "0"), 5),
            ("--mib", "8"): (("fib", "8", "0"), 5),
            ("--work", "sha256", "--mib", "4"): (("sha256", "4", "0"), 6),
            ("--payload-mb", "2"): (("fib", "16", "2"), 6),
        }
        for argv, (said, version) in formats.items():
            with self.subTest(argv=argv):
                args = threadlab.arguments([*argv, "--page", "https://example.test/"])
                settings = threadlab.settings(args, ["single"])
                self.assertEqual((settings["work"], settings["mib"], settings["payloadMb"]), said)
                query, fragment = threadlab.link(args, {"settings": settings}).split("#")
                self.assertIn(f"&work={said[0]}&mib={said[1]}&payloadMb={said[2]}&", query)
                self.assertTrue(fragment.startswith(f"share={version}."), fragment[:10])

    def test_bad_arguments_are_refused_by_name(self):
        refused = {
            ("--n", "46"): "argument --n: 46 is not from 0 to 45",
            ("--n", "x"): "argument --n: invalid whole number value: 'x'",
            ("--work", "md5"): "argument --work: invalid choice: 'md5' (choose from 'fib', 'sha256')",
            ("--mib", "0"): "argument --mib: 0 is not from 1 to 256",
            ("--mib", "257"): "argument --mib: 257 is not from 1 to 256",
            ("--payload-mb", "-1"): "argument --payload-mb: -1 is not from 0 to 128",
            ("--payload-mb", "129"): "argument --payload-mb: 129 is not from 0 to 128",
            ("--modes", "single,fast"): "no such mode: fast (the modes: single, threads,",
            ("--url", "ftp://x"): "--url must be an http or https address",
            ("--url", "http:no-host"): "--url must be an http or https address",
            ("--page", "javascript:alert(1)"): "--page must be an http or https address",
            ("--page", "file:///etc/passwd"): "--page must be an http or https address",
            ("--switch-ms", "0"): "--switch-ms must be from 0.1 to 100",
            # The bend's runs are its own: no other choice of modes, work or payload beside them.
            ("--payloads", "0,8", "--modes", "single"): "--payloads runs the bend's own modes",
            ("--payloads", "0,8", "--work", "sha256"): "--payloads runs the bend's own modes",
            ("--payloads", "0,8", "--payload-mb", "1"): "--payloads runs the bend's own modes",
            ("--payloads", "0,129"): "argument --payloads: 129 is not from 0 to 128",
            ("--payloads", "0,x"): "argument --payloads: give whole numbers of MiB from 0 to 128",
            ("--payloads", "0,1,2,3,4,5,6,7,8"): "argument --payloads: give at most 8 payloads",
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
