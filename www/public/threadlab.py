#!/usr/bin/env python3
"""threadlab.py: threadlab's experiment in your own Python, with its real threads and its GIL.

It runs k CPU jobs in one thread, in k threads, in k processes and (Python 3.14 and later) in k interpreters, and
makes K requests one after another, with asyncio and with a thread each. A job's work (--work) is fib(n), Python code
that holds the GIL, or the sha256 of M MiB (--mib), native code that lets go of it while it hashes. Before its work,
each job reads a payload of P MiB (--payload-mb, none by default): one thread and k threads read it where it is, and
each process and interpreter is handed a copy of its own, whose copying in is timed apart. Each mode runs once
untimed, then --repeats times timed. It prints a table, what the figures show, and a link that opens them in
threadlab's page beside the browser's runs.

Standard library only (CPython 3.9 or newer, or PyPy). It sends nothing anywhere: the requests go to a local
endpoint that it serves from a process of its own on 127.0.0.1 (or to --url, if you give one), and the link is only
printed, or opened in your browser with --open.
"""

import argparse
import asyncio
import base64
import collections
import functools
import hashlib
import http.client
import inspect
import json
import multiprocessing
import os
import pickle
import platform
import socket
import ssl
import subprocess
import sys
import sysconfig
import threading
import time
import urllib.parse
import webbrowser
from contextlib import nullcontext
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# The modes, from the core's table (crate/src/modes.rs), written by scripts/script-modes.js: not by hand.
CPU_MODES = ["single", "threads", "processes", "interpreters"]
IO_MODES = ["io-sequential", "io-concurrent", "io-workers"]
# What each mode is in Python, for the table.
DOES = {
    "single": "for _ in range(k): fib(n)",
    "threads": "k threading.Thread",
    "processes": "k multiprocessing.Process",
    "interpreters": "InterpreterPoolExecutor(k)",
    "io-sequential": "one GET after another",
    "io-concurrent": "asyncio.gather over K",
    "io-workers": "a threading.Thread per request",
}
# (end of the modes)
TIE_MARGIN = 0.03  # medians closer than this cannot be told apart (as the page's core says, stats.rs)
MAX_REQUESTS = 100  # K's most (--requests)
# One request: when it was asked for, when its connection was open (None if it never was), when it ended (perf_counter),
# its HTTP status (None without an answer) and its error (None for a 2xx answer).
Request = collections.namedtuple("Request", "start connected end status error")


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def fib_fast(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def pattern(mib):
    """`mib` MiB whose byte i is i mod 256: sha256's buffer, and the payload (the page's core makes the same)."""
    return bytes(range(256)) * (mib * 4096)


def digest_value(h):
    """A sha256's value: its digest's first 6 bytes, 48 bits, which a JavaScript number holds exactly."""
    return int.from_bytes(h.digest()[:6], "big")


def sha256(mib):
    """The sha256 of `mib` MiB of pattern(), fed 1 MiB at a time: CPython lets go of the GIL around each update of
    more than 2047 bytes, so threads hash at once. Every MiB of pattern() is the same, so the job feeds one MiB `mib`
    times, as the page's core does: no buffer of `mib` MiB is built under the GIL first."""
    chunk = pattern(1)
    h = hashlib.sha256()
    for _ in range(mib):
        h.update(chunk)
    return digest_value(h)


def job(kind, size, payload):
    """One job: reads its payload, a byte of each 4 KiB page, then computes fib(size) or the sha256 of `size` MiB.
    (value, start, end, what it read), on perf_counter, which every process of this machine shares."""
    start = time.perf_counter()
    read = sum(payload[::4096])
    value = fib(size) if kind == "fib" else sha256(size)
    return value, start, time.perf_counter(), read


class Parcel:
    """A payload on its way into a process or an interpreter, both of which get it by pickle: pickling it notes the
    time, just before it is handed over. It arrives as (that time, the payload), a tuple, which every interpreter can
    rebuild (this script's classes are not importable in one)."""

    def __init__(self, payload):
        self.payload = payload

    def __reduce__(self):
        return tuple, ((time.perf_counter(), self.payload),)


# An interpreter of InterpreterPoolExecutor gets the call by pickle, and this script's __main__ is not its own: it is
# given the builtin eval, this expression and a scope with the job's source (job_source()), its kind of work, its size
# and its parcel. The expression notes when the parcel arrived, defines the job there, and runs it.
INTERPRETER_JOB = (
    "(lambda has: exec(source, globals()) or (parcel[0], has, job(kind, size, parcel[1])))"
    "(__import__('time').perf_counter())"
)


def job_source():
    """The job and what it calls, as source for an interpreter, which cannot import them from this script."""
    parts = (fib, pattern, digest_value, sha256, job)
    return "import hashlib, time\n" + "\n".join(inspect.getsource(part) for part in parts)


# One CPU job's work: "fib" or "sha256", its size (fib's n, or sha256's MiB), and its name in the table and findings.
Work = collections.namedtuple("Work", "kind size label")


def work(args):
    if args.work == "fib":
        return Work("fib", args.n, f"fib({args.n})")
    return Work("sha256", args.mib, f"sha256 of {args.mib} MiB")


@functools.lru_cache(maxsize=None)  # once per run of the script, not once per mode
def expected(kind, size):
    """The value every job of this work must return, computed another way: fib by iteration, sha256 in one update."""
    return fib_fast(size) if kind == "fib" else digest_value(hashlib.sha256(pattern(size)))


# --- what this Python is -------------------------------------------------------------------------------------------


def interpreter(sys_=sys, sysconfig_=sysconfig, os_=os, platform_=platform):
    """The interpreter and machine the runs are on (arguments: the modules read, for the tests)."""
    free_threaded = bool(sysconfig_.get_config_var("Py_GIL_DISABLED"))
    is_gil_enabled = getattr(sys_, "_is_gil_enabled", None)
    cores = os_.process_cpu_count() if hasattr(os_, "process_cpu_count") else os_.cpu_count()
    return {
        "implementation": platform_.python_implementation(),
        "version": platform_.python_version(),
        "freeThreaded": free_threaded,
        "gilEnabled": bool(is_gil_enabled()) if is_gil_enabled else True,
        "switchMs": round(sys_.getswitchinterval() * 1000, 3),
        "cores": max(1, min(1024, cores or 1)),
        "os": platform_.system() or "unknown",
        "startMethod": multiprocessing.get_start_method(allow_none=True) or multiprocessing.get_context().get_start_method(),
        "interpreters": has_interpreter_pool(sys_),
    }


def has_interpreter_pool(sys_=sys):
    if sys_.version_info < (3, 14):
        return False
    try:
        from concurrent.futures import InterpreterPoolExecutor  # noqa: F401
    except ImportError:
        return False
    return True


def describe(info):
    """'CPython 3.14.0, free-threaded, GIL off, 8 cores (Linux)'."""
    parts = [f"{info['implementation']} {info['version']}"]
    if info["freeThreaded"]:
        parts.append("free-threaded")
    parts.append("GIL on" if info["gilEnabled"] else "GIL off")
    parts.append(f"{info['cores']} cores ({info['os']})")
    return ", ".join(parts)


# --- the local endpoint --------------------------------------------------------------------------------------------


class Delayed(BaseHTTPRequestHandler):
    """Answers GET /user-<i>?delay_ms=D after D ms, as the page's built-in endpoint does."""

    def do_GET(self):
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        time.sleep(int(query.get("delay_ms", ["0"])[0]) / 1000)
        body = json.dumps({"path": self.path}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server(ThreadingHTTPServer):
    # listen()'s backlog. socketserver passes it to listen() inside the constructor, so it must be set here, on the
    # class: set on the server afterwards, it changes nothing, and with the default of 5 the connections that K
    # requests open at once beyond it wait for the client's SYN retry (about 1 s each).
    request_queue_size = 2 * MAX_REQUESTS
    daemon_threads = True


def serve():
    """The endpoint's process: prints its port, then serves until its parent closes its stdin."""
    server = Server(("127.0.0.1", 0), Delayed)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(server.server_address[1], flush=True)
    sys.stdin.read()


class Endpoint:
    """The endpoint in a process of its own: in this one, its threads would wait for this one's GIL too."""

    def __enter__(self):
        self.process = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.port = int(self.process.stdout.readline())
        return self

    def __exit__(self, *exc):
        self.process.stdin.close()
        self.process.wait(timeout=10)
        self.process.stdout.close()

    def url(self, delay_ms, i):
        return f"http://127.0.0.1:{self.port}/user-{i}?delay_ms={delay_ms}"


# --- the modes -----------------------------------------------------------------------------------------------------


def run_single(args, payload):
    kind, size, _ = work(args)
    return {"jobs": [job(kind, size, payload) for _ in range(args.workers)]}


def run_threads(args, payload):
    kind, size, _ = work(args)
    results = [None] * args.workers

    def run(i):
        results[i] = job(kind, size, payload)  # the payload itself: threads share this process's memory

    threads = [threading.Thread(target=run, args=(i,)) for i in range(args.workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"jobs": results}


def child(conn, kind, size):
    """A process's work: notes when it started, takes its parcel, notes when it had it, then does its job."""
    started = time.perf_counter()
    handed, payload = conn.recv()
    has = time.perf_counter()
    conn.send((started, handed, has, job(kind, size, payload)))
    conn.close()


def run_processes(args, begun, payload):
    kind, size, _ = work(args)
    context = multiprocessing.get_context()
    pipes = [context.Pipe() for _ in range(args.workers)]
    processes = [context.Process(target=child, args=(theirs, kind, size)) for _, theirs in pipes]
    for process in processes:
        process.start()
    # The payload goes down the pipe rather than as the Process's argument: a forked process would inherit that one
    # without any copy, and it comes after the start, as the page's workers get theirs.
    for ours, _ in pipes:
        ours.send(Parcel(payload))
    answers = [ours.recv() for ours, _ in pipes]
    for process in processes:
        process.join()
    return {
        "jobs": [answer for *_, answer in answers],
        # Spawn: from the timer's start until the last process began its work.
        "spawn": max(started for started, *_ in answers) - begun,
        # Copy in: from when both the process was up and its parcel handed over, until it had the parcel.
        "copies": [has - max(started, handed) for started, handed, has, _ in answers],
    }


def run_interpreters(args, begun, payload):
    from concurrent.futures import InterpreterPoolExecutor

    kind, size, _ = work(args)
    source = job_source()
    with InterpreterPoolExecutor(max_workers=args.workers) as pool:
        scope = {"source": source, "kind": kind, "size": size}
        futures = [pool.submit(eval, INTERPRETER_JOB, dict(scope, parcel=Parcel(payload))) for _ in range(args.workers)]
        answers = [future.result() for future in futures]
    # A worker pickles its call once its interpreter is up: the parcel's time ends the start and begins the copy in.
    return {
        "jobs": [answer for _, _, answer in answers],
        "spawn": max(handed for handed, _, _ in answers) - begun,
        "copies": [has - handed for handed, has, _ in answers],
    }


def failure(error):
    """A request's error as one line of plain text, as a share link carries it."""
    if isinstance(error, (socket.timeout, asyncio.TimeoutError, TimeoutError)):
        text = "timed out"
    else:
        # An error that wraps another (urllib's URLError) names the other; an SSLError's reason is only a word.
        reason = getattr(error, "reason", None)
        if not isinstance(reason, BaseException):
            reason = error
        text = f"{type(reason).__name__}: {reason}"
    return "".join(c for c in text if " " <= c <= "~")[:120] or type(error).__name__


def refusal(status):
    """The error of an answer with this HTTP status: None for a 2xx."""
    if status is not None and 200 <= status < 300:
        return None
    return f"HTTP {status if status is not None else '?'}"


def target(parts):
    """The request target of a split URL: its path and query."""
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def get(url, timeout):
    """One GET on http.client (what urlopen uses), without urlopen's proxies and redirects, as get_async does."""
    start = time.perf_counter()
    parts = urllib.parse.urlsplit(url)
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connected = status = None
    connection = kind(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.connect()
        connected = time.perf_counter()
        connection.request("GET", target(parts), headers={"Connection": "close"})
        answer = connection.getresponse()
        answer.read()
        status = answer.status
        error = refusal(status)
    except Exception as exc:  # every failure is the request's, and the run goes on
        error = failure(exc)
    finally:
        connection.close()
    return Request(start, connected, time.perf_counter(), status, error)


async def get_async(url, timeout):
    """One GET on asyncio's own streams: the standard library has no asynchronous HTTP client."""
    start = time.perf_counter()
    parts = urllib.parse.urlsplit(url)
    secure = parts.scheme == "https"
    connected = status = None

    async def exchange():
        nonlocal connected, status
        port = parts.port or (443 if secure else 80)
        context = ssl.create_default_context() if secure else None
        reader, writer = await asyncio.open_connection(parts.hostname, port, ssl=context)
        connected = time.perf_counter()
        writer.write(f"GET {target(parts)} HTTP/1.1\r\nHost: {parts.netloc}\r\nConnection: close\r\n\r\n".encode())
        line = (await reader.readline()).split()
        await reader.read()
        writer.close()
        if len(line) > 1 and line[1].isdigit() and 100 <= int(line[1]) <= 999:
            status = int(line[1])

    try:
        await asyncio.wait_for(exchange(), timeout)
        error = refusal(status)
    except Exception as exc:
        error = failure(exc)
    return Request(start, connected, time.perf_counter(), status, error)


def run_io(args, mode, urls):
    timeout = args.timeout_ms / 1000
    if mode == "io-sequential":
        return {"jobs": [get(url, timeout) for url in urls]}
    if mode == "io-concurrent":

        async def gather():
            return await asyncio.gather(*(get_async(url, timeout) for url in urls))

        return {"jobs": list(asyncio.run(gather()))}
    results = [None] * len(urls)

    def work(i):
        results[i] = get(urls[i], timeout)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(urls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"jobs": results}


def once(args, mode, urls, payload):
    """One run of `mode`: its wall time, its jobs ((value, start, end, read) or a Request), and its spawn and each job's
    copy in (seconds) where it has them."""
    begun = time.perf_counter()
    if mode == "single":
        out = run_single(args, payload)
    elif mode == "threads":
        out = run_threads(args, payload)
    elif mode == "processes":
        out = run_processes(args, begun, payload)
    elif mode == "interpreters":
        out = run_interpreters(args, begun, payload)
    else:
        out = run_io(args, mode, urls)
    out["wall"] = time.perf_counter() - begun
    return out


def median(values):
    """The lower median, so that it is always one of the values (as the page's are)."""
    return sorted(values)[(len(values) - 1) // 2]


def ms(seconds):
    return round(seconds * 1000, 3)


def measure(args, mode, urls, payload):
    """A mode warmed up, then repeated: its figures as a share link carries them."""
    warmup = once(args, mode, urls, payload)
    repeats = [once(args, mode, urls, payload) for _ in range(args.repeats)]
    walls = [ms(r["wall"]) for r in repeats]
    middle = repeats[walls.index(median(walls))]
    shared = {"mode": mode, "walls": walls, "warmup": ms(warmup["wall"]), "engine": "python"}
    if mode in IO_MODES:
        requests = middle["jobs"]
        shared["jobs"] = [ms(request.end - request.start) for request in requests]
        # Each request's outcome, for the page to check: its HTTP status (None: no answer), and the failures' errors.
        shared["statuses"] = [request.status for request in requests]
        shared["failed"] = [[i, request.error] for i, request in enumerate(requests) if request.error]
        correct = not shared["failed"]  # as the page's: a run is whole when every request got its answer
    else:
        shared["jobs"] = [ms(end - start) for _, start, end, _ in middle["jobs"]]
        # Each job's value, for the page to check against its own fib(n) or sha256.
        shared["values"] = [value for value, *_ in middle["jobs"]]
        # A job did its work when its value is right and it read of its payload what this one holds.
        kind, size, _ = work(args)
        want = expected(kind, size), sum(payload[::4096])
        correct = all((value, read) == want for value, _, _, read in middle["jobs"])
    if "spawn" in middle:
        spawns = [ms(r["spawn"]) for r in repeats]
        shared["spawn"] = [median(spawns), min(spawns), max(spawns)]
    if "copies" in middle and args.payload_mb:
        shared["copy"] = ms(sum(middle["copies"]) / len(middle["copies"]))  # a job's mean copy in
    shared["python"] = {"version": platform.python_version(), "startMs": 0}
    shared["correct"] = correct
    return shared


# --- reading and showing -------------------------------------------------------------------------------------------


def ratio(runs, base, mode):
    """(how many times faster `mode` ran than `base`, whether that is inside the noise), or None. A run that did not
    do its work (a wrong value, a failed request) is not timed against another, as in the page."""
    a, b = runs.get(base), runs.get(mode)
    if not a or not b or not a["correct"] or not b["correct"] or min(b["walls"]) <= 0:
        return None
    times = median(a["walls"]) / median(b["walls"])
    overlap = min(a["walls"]) <= max(b["walls"]) and min(b["walls"]) <= max(a["walls"])
    return times, overlap or abs(times - 1) < TIE_MARGIN


def failures(run):
    """What went wrong in a run: 'K of K requests failed (error; error)', 'wrong values (...)', or None."""
    if run.get("failed"):
        errors = list(dict.fromkeys(error for _, error in run["failed"]))  # each kind once, in order
        return f"{len(run['failed'])} of {len(run['jobs'])} requests failed ({'; '.join(errors)})"
    if "values" in run and not run["correct"]:
        return f"wrong values ({', '.join(map(str, run['values']))})"
    return None


def threads_why(kind, info, times, tie):
    """Why k threads ran `kind` as they did against one thread."""
    if kind == "sha256":
        why = "hashlib lets go of the GIL while it hashes"
        return why + (": threads hash at once" if not tie and times > 1 else ", yet no gain")
    if not info["gilEnabled"]:
        return "the GIL is off: threads compute at once" if times >= 1.3 else "the GIL is off, yet no gain"
    if times >= 1.3:
        return "faster, with the GIL on: something else was slowing single down; run again"
    why = "the GIL lets one thread compute at a time"
    return why + (", and starting and switching threads costs more on top" if not tie and times < 1 else "")


def started(mode, run):
    """'processes spent 5.0 of 55.0 ms starting', and what a job spent copying its payload in where it had one."""
    words = f"{mode} spent {run['spawn'][0]:.1f} of {median(run['walls']):.1f} ms starting"
    return words + (f" and {run['copy']:.1f} ms a job copying its payload in" if "copy" in run else "")


def findings(runs, info, args):
    """The three findings of the article, read from these runs' medians, after what went wrong."""
    words = []
    wrong = [f"{mode}: {failures(run)}" for mode, run in runs.items() if failures(run)]
    if wrong:
        words.append(f"Not timed against the others: {'; '.join(wrong)}.")

    def said(base, mode):
        times, tie = ratio(runs, base, mode)
        return f"{mode} {times:.2f}x {base}" + (" (inside the noise)" if tie else "")

    kind, _, label = work(args)
    threads = ratio(runs, "single", "threads")
    if threads:
        words.append(f"{label} in threads: {said('single', 'threads')}: {threads_why(kind, info, *threads)}.")
    parallel = [mode for mode in ("processes", "interpreters") if ratio(runs, "single", mode)]
    if parallel:
        spawn = "; ".join(started(mode, runs[mode]) for mode in parallel)
        listed = ", ".join(said("single", mode) for mode in parallel)
        words.append(f"{label} in processes: {listed}: each has its own GIL ({spawn}).")
    waiting = [mode for mode in IO_MODES[1:] if ratio(runs, "io-sequential", mode)]
    if waiting:
        listed = ", ".join(said("io-sequential", mode) for mode in waiting)
        words.append(f"Waiting on the network: {listed}: a thread waiting on I/O lets go of the GIL.")
    return words


def payload_said(args):
    return f", after reading a payload of {args.payload_mb} MiB" if args.payload_mb else ""


def copied_said(args, cpu):
    """Where the CPU modes `cpu` read the payload: where it is, or in a copy of their own, timed apart."""
    shared = [mode for mode in cpu if mode in ("single", "threads")]
    copied = [mode for mode in cpu if mode not in shared]
    words = [f"{' and '.join(shared)} read it where it is"] if shared else []
    if copied:
        words.append(f"each of the {' and '.join(copied)} is handed a copy, whose copying in is timed apart")
    return f"Of the payload, {'; '.join(words)}."


def plan(args, modes):
    """What the runs will do, said before they start."""
    cpu = [mode for mode in modes if mode in CPU_MODES]
    done = [f"{work(args).label} x {args.workers}{payload_said(args)}"] if cpu else []
    if len(cpu) < len(modes):
        target = args.url or f"a local endpoint on 127.0.0.1 (its own process), answering after {args.delay_ms} ms"
        done.append(f"{args.requests} requests to {target}")
    times = "once" if args.repeats == 1 else f"{args.repeats} times"
    said = f"It runs {', '.join(modes)}: each once untimed, then {times} timed: {'; and '.join(done)}."
    return said + ("\n" + copied_said(args, cpu) if cpu and args.payload_mb else "")


# --- the bend: where the article's rules bend (--payloads) ---------------------------------------------------------


def variant(args, kind, payload_mb):
    """The arguments of one of the bend's runs: its work and its payload."""
    return argparse.Namespace(**{**vars(args), "work": kind, "payload_mb": payload_mb})


def bend_runs(args):
    """The bend's runs, (mode, work, payload MiB), as the page plans them (crate/src/experiments/bend.rs), with this
    Python's threads where the page has its gil: fib and sha256 in one thread and in k threads; then fib in one
    thread, k threads and k processes at each payload (without one, the first two have run already)."""
    runs = [(mode, kind, 0) for kind in ("fib", "sha256") for mode in ("single", "threads")]
    for mb in args.payloads:
        runs += [(mode, "fib", mb) for mode in ("single", "threads", "processes") if mb or mode == "processes"]
    return runs


def bend_rows(runs):
    """Part 2, a payload a row: (MiB, threads' run, processes' run, processes' gain over threads and whether it is
    inside the noise, or None), in payload order."""
    at = {(run["mode"], run["work"], run["payload"]): run for run in runs}
    rows = []
    for mb in sorted({run["payload"] for run in runs if run["mode"] == "processes"}):
        pair = {"threads": at.get(("threads", "fib", mb)), "processes": at.get(("processes", "fib", mb))}
        if pair["threads"] and pair["processes"]:
            rows.append((mb, pair["threads"], pair["processes"], ratio(pair, "threads", "processes")))
    return rows


def bend_table(runs, args):
    """Each work in one thread and in k threads; then threads and processes at each payload, with the copy's share."""
    lines = [f"{'work':<24}{'single ms':>11}{'threads ms':>12}{'threads gain':>14}"]
    for kind in ("fib", "sha256"):
        pair = {run["mode"]: run for run in runs if run["work"] == kind and run["payload"] == 0}
        if "single" in pair and "threads" in pair:
            gain = ratio(pair, "single", "threads")
            lines.append(
                f"{work(variant(args, kind, 0)).label + f' x {args.workers}':<24}{median(pair['single']['walls']):>11.1f}"
                f"{median(pair['threads']['walls']):>12.1f}{f'{gain[0]:.2f}x' if gain else '-':>14}"
            )
    lines += ["", f"{'payload MiB':>11}{'threads ms':>12}{'processes ms':>14}{'processes gain':>16}{'copy ms':>9}{'of their time':>15}"]
    for mb, threads, processes, gain in bend_rows(runs):
        copy = processes.get("copy")
        share = f"{copy / median(processes['walls']):.0%}" if copy is not None else "-"
        lines.append(
            f"{mb:>11}{median(threads['walls']):>12.1f}{median(processes['walls']):>14.1f}"
            f"{f'{gain[0]:.2f}x' if gain else '-':>16}{f'{copy:.1f}' if copy is not None else '-':>9}{share:>15}"
        )
    return "\n".join(lines)


def bend_findings(runs, info, args):
    """The bend's two findings, from these runs' medians: sha256 against fib in threads, and where processes stopped
    winning over threads as the payload grew."""
    words = []
    wrong = [f"{run['mode']} ({run['work']}, {run['payload']} MiB): {failures(run)}" for run in runs if failures(run)]
    if wrong:
        words.append(f"Not timed against the others: {'; '.join(wrong)}.")
    for kind in ("fib", "sha256"):
        pair = {run["mode"]: run for run in runs if run["work"] == kind and run["payload"] == 0}
        gain = ratio(pair, "single", "threads")
        if gain:
            noise = " (inside the noise)" if gain[1] else ""
            label = work(variant(args, kind, 0)).label
            words.append(f"{label} in threads: {gain[0]:.2f}x single{noise}: {threads_why(kind, info, *gain)}.")
    rows = [row for row in bend_rows(runs) if row[3]]
    won = [gain[0] > 1 and not gain[1] for *_, gain in rows]
    if rows and not won[0]:
        words.append(
            f"Processes did not win even with {rows[0][0]} MiB a job ({rows[0][3][0]:.2f}x threads): a job of "
            f"{work(args).label} is too short to pay for a process's start here; try a larger --n."
        )
    elif rows and all(won):
        mb, _, processes, gain = rows[-1]
        words.append(f"Processes won at every payload, up to {mb} MiB a job ({gain[0]:.2f}x threads{copy_share(processes)}).")
    elif rows:
        mb, _, processes, gain = rows[won.index(False)]
        words.append(
            f"Processes stopped winning at {mb} MiB a job ({gain[0]:.2f}x threads{copy_share(processes)}): each gets "
            "its data only by copy, which costs more as it grows, where threads read it where it is."
        )
    return words


def copy_share(run):
    """', copying in 41% of their time', where a run copied its payload in."""
    return f", copying in {run['copy'] / median(run['walls']):.0%} of their time" if "copy" in run else ""


def table(runs, skipped, args):
    """The runs' medians, ranges, starts and (with a payload) a job's mean copy in, under the CPU jobs' work."""
    label = work(args).label
    what = {mode: DOES[mode].replace("fib(n)", label) for mode in DOES}  # the core's words for single name fib(n)
    wide = 2 + max(30, *map(len, what.values()))
    copied = any("copy" in run for run in runs.values())
    header = f"{'mode':<14}{'what it is':<{wide}}{'median ms':>11}{'range ms':>20}{'spawn ms':>10}"
    lines = [f"Each CPU job: {label}{payload_said(args)}."] if any(mode in CPU_MODES for mode in runs) else []
    lines.append(header + ("  copy ms" if copied else ""))
    for mode in CPU_MODES + IO_MODES:
        if mode in skipped:
            lines.append(f"{mode:<14}{what[mode]:<{wide}}{skipped[mode]:>41}")
        if mode not in runs:
            continue
        run = runs[mode]
        walls = run["walls"]
        spawn = f"{run['spawn'][0]:.1f}" if "spawn" in run else ""
        # A failed request is a failure, not a wrong value: the findings give the errors.
        if run.get("failed"):
            trouble = f"  {len(run['failed'])} of {len(run['jobs'])} failed"
        elif mode in CPU_MODES and not run["correct"]:
            trouble = "  WRONG VALUES"
        else:
            trouble = ""
        spread = f"{min(walls):.1f}-{max(walls):.1f}"
        row = f"{mode:<14}{what[mode]:<{wide}}{median(walls):>11.1f}{spread:>20}{spawn:>10}"
        if copied:
            row += f"{run['copy']:>9.1f}" if "copy" in run else " " * 9
        lines.append(row + trouble)
    return "\n".join(lines)


def settings(args, modes):
    """The page's form, as text: what the link's query and its figures say was run."""
    return {
        "experiment": "python",
        "modes": ",".join(modes),
        "n": str(args.n),
        "work": args.work,
        "mib": str(args.mib),
        "payloadMb": str(args.payload_mb),
        "workers": str(args.workers),
        "repeats": str(args.repeats),
        "switchMs": f"{args.switch_ms:g}",
        "requests": str(args.requests),
        "delayMs": str(args.delay_ms),
        "timeoutMs": str(args.timeout_ms),
        "url": args.url,
        "endpoint": "auto",
    }


def bend_settings(args):
    """The bend's form, as text: its fields only (crate/src/experiments/bend.rs), the rest at their defaults."""
    return {
        "experiment": "bend",
        "n": str(args.n),
        "mib": str(args.mib),
        "workers": str(args.workers),
        "repeats": str(args.repeats),
        "switchMs": f"{args.switch_ms:g}",
        "payloads": ",".join(map(str, args.payloads)),
    }


def share_format(args):
    """The share-link format the figures need (crate/src/share.rs reads them): 5 carries a visitor's Python, 6 also
    another work than fib, and a payload with its copies in."""
    return 6 if args.work != "fib" or args.payload_mb or args.payloads is not None else 5


def link(args, figures):
    """The page's address: the settings in the query, the figures (in the link format they need) in the fragment."""
    data = base64.urlsafe_b64encode(json.dumps(figures, separators=(",", ":")).encode()).rstrip(b"=").decode()
    query = urllib.parse.urlencode({k: v for k, v in figures["settings"].items() if v})
    return f"{args.page.split('#')[0].split('?')[0]}?{query}#share={share_format(args)}.{data}"


@functools.lru_cache(maxsize=None)  # once per work, however many runs it has
def job_time(kind, size):
    """One job of this work, timed here (s)."""
    _, start, end, _ = job(kind, size, b"")
    return end - start


def estimate(args, modes, payload):
    """About how long the runs take, from one job and one copy of the payload (pickled, unpickled) timed here (s)."""
    kind, size, _ = work(args)
    begun = time.perf_counter()
    pickle.loads(pickle.dumps(payload))
    copy = time.perf_counter() - begun
    # Jobs that run at once take about 0.6 of their time one after another, on a few cores; copies go one at a time.
    alone = ("single",) if kind == "sha256" else ("single", "threads")
    each = {mode: job_time(kind, size) * (1 if mode in alone else 0.6) for mode in modes if mode in CPU_MODES}
    cpu = sum(args.workers * (spent + copy * (mode in ("processes", "interpreters"))) for mode, spent in each.items())
    io = sum(args.delay_ms / 1000 * (args.requests if mode == "io-sequential" else 1) for mode in modes if mode in IO_MODES)
    return (cpu + io) * (args.repeats + 1) + 0.3 * sum(mode in ("processes", "interpreters") for mode in modes)


def arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    def number(low, high):
        def whole(text):
            return bounded(text, low, high)

        whole.__name__ = "whole number"  # what argparse calls it when the text is not one
        return whole

    parser.add_argument("--work", choices=("fib", "sha256"), default="fib", help="a CPU job's work (default fib)")
    parser.add_argument("--n", type=number(0, 45), default=30, help="fib(n) per job (default 30)")
    parser.add_argument("--mib", metavar="M", type=number(1, 256), default=16, help="sha256 of M MiB (default 16)")
    parser.add_argument("--payload-mb", metavar="P", type=number(0, 128), default=0, help="MiB a job reads first (at most 128)")
    parser.add_argument("--workers", type=number(1, 64), default=2, help="k: jobs, threads and processes (default 2)")
    parser.add_argument("--repeats", type=number(1, 50), default=3, help="timed runs of each mode (default 3)")
    parser.add_argument("--switch-ms", type=float, default=5.0, help="sys.setswitchinterval, in ms (default 5)")
    parser.add_argument(
        "--requests", type=number(1, MAX_REQUESTS), default=10, help="K requests per io run (default 10)"
    )
    parser.add_argument("--delay-ms", type=number(0, 10000), default=100, help="the endpoint's wait (default 100)")
    parser.add_argument("--timeout-ms", type=number(100, 60000), default=10000, help="a request's limit")
    parser.add_argument("--url", default="", help="an http(s) address to GET instead of the local endpoint")
    parser.add_argument("--modes", help="comma-separated (default: all)")
    parser.add_argument(
        "--payloads",
        metavar="LIST",
        type=payload_list,
        help="the bend: fib and sha256 in threads, then threads against processes at each payload, in MiB a job "
        "(like 0,1,8,32,128), instead of --modes",
    )
    parser.add_argument("--page", default="", help="threadlab's page, for the link (the page's command gives it)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE (the page reads them)")
    parser.add_argument("--open", action="store_true", help="open the link in your default browser")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not 0.1 <= args.switch_ms <= 100:
        parser.error("--switch-ms must be from 0.1 to 100")
    # Both addresses go to a browser or over the network: only http(s), refused before anything runs.
    for option, address in (("--url", args.url), ("--page", args.page)):
        if address and not web_address(address):
            parser.error(f"{option} must be an http or https address")
    # So that a wrong path costs a message now, not the whole run's figures at its end.
    why = args.json and unwritable(args.json)
    if why:
        parser.error(f"--json: {why}")
    if args.payloads is not None and (args.modes or args.payload_mb or args.work != "fib"):
        parser.error("--payloads runs the bend's own modes, works and payloads: leave out --modes, --work and --payload-mb")
    args.modes = args.modes or ",".join(CPU_MODES + IO_MODES)
    unknown = [mode for mode in args.modes.split(",") if mode not in DOES]
    if unknown:
        parser.error(f"no such mode: {', '.join(unknown)} (the modes: {', '.join(DOES)})")
    return args


def web_address(text):
    """Whether `text` is an http or https address with a host (a javascript: or file: address is not)."""
    try:
        parts = urllib.parse.urlsplit(text)
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # an address urlsplit cannot read, such as http://[::1
        return False


def unwritable(path):
    """Why the figures could not be written to `path`, or None. The file is opened for appending, which changes nothing
    in one that is there, and removed again if it was not: only the system knows what it will refuse (as root, any
    folder looks writable, and /proc still refuses a new file)."""
    if os.path.isdir(path):
        return f"{path} is a folder"
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        return f"there is no folder {folder}"
    existed = os.path.lexists(path)
    try:
        with open(path, "a"):
            pass
    except OSError as error:
        return f"{path} cannot be written ({error.strerror or error})"
    if not existed:
        os.remove(path)
    return None


def save(path, figures):
    """Writes the figures to `path`: None, or why it could not (the run is over: its figures must not be lost)."""
    try:
        with open(path, "w") as file:
            json.dump(figures, file, indent=1)
    except OSError as error:
        return f"{error.strerror or error}"
    return None


def payload_list(text):
    """--payloads: up to 8 whole numbers from 0 to 128, each once, in order."""
    try:
        values = sorted({bounded(part, 0, 128) for part in text.split(",")})
    except ValueError:
        raise argparse.ArgumentTypeError("give whole numbers of MiB from 0 to 128, like 0,1,8,32,128") from None
    if len(values) > 8:
        raise argparse.ArgumentTypeError("give at most 8 payloads")
    return values


def bounded(text, low, high):
    value = int(text)
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(f"{value} is not from {low} to {high}")
    return value


def main(argv=None):
    """Runs the experiment: 0 when everything asked for was done, 1 when the figures could not be written."""
    args = arguments(argv)
    if args.serve:
        return serve()
    sys.setswitchinterval(args.switch_ms / 1000)
    info = interpreter()
    print(f"threadlab.py on {describe(info)}; processes start by {info['startMethod']}.")
    figures = bend(args, info) if args.payloads is not None else experiment(args, info)
    return deliver(args, figures)


def experiment(args, info):
    """The article's experiment, each mode asked for once at the arguments' work and payload: its figures."""
    wanted = args.modes.split(",")
    skipped = {}
    if "interpreters" in wanted and not info["interpreters"]:
        skipped["interpreters"] = "needs Python 3.14"
    modes = [mode for mode in CPU_MODES + IO_MODES if mode in wanted and mode not in skipped]
    io = [mode for mode in modes if mode in IO_MODES]
    print(plan(args, modes))
    payload = pattern(args.payload_mb)  # made once, before any timer
    said_before(args, estimate(args, modes, payload))

    runs = {}
    with Endpoint() if io and not args.url else nullcontext() as endpoint:
        urls = [args.url or endpoint.url(args.delay_ms, i) for i in range(args.requests)] if io else []
        for mode in modes:
            print(f"  {mode} ...", end="", flush=True)
            runs[mode] = measure(args, mode, urls, payload)
            print(f" {median(runs[mode]['walls']):.1f} ms", flush=True)
    print()
    print(table(runs, skipped, args))
    print()
    for sentence in findings(runs, info, args):
        print("- " + sentence)
    return {"settings": settings(args, modes), "python": info, "runs": [runs[mode] for mode in modes]}


def bend(args, info):
    """The bend (--payloads), each of its runs at its work and payload: its figures."""
    planned = bend_runs(args)
    payloads = {mb: pattern(mb) for mb in args.payloads}  # made once, before any timer
    print(
        f"It runs fib({args.n}) and sha256 of {args.mib} MiB, {args.workers} jobs each, in one thread and in "
        f"{args.workers} threads; then fib({args.n}) in one thread, threads and processes with a payload of "
        f"{', '.join(map(str, args.payloads))} MiB a job, which threads read where it is and each process is handed a "
        f"copy of. Each run once untimed, then {args.repeats} timed."
    )
    took = sum(estimate(variant(args, kind, mb), [mode], payloads.get(mb, b"")) for mode, kind, mb in planned)
    said_before(args, took)
    runs = []
    for mode, kind, mb in planned:
        print(f"  {mode}, {kind}, {mb} MiB ...", end="", flush=True)
        run = measure(variant(args, kind, mb), mode, [], payloads.get(mb, b""))
        runs.append({**run, "work": kind, "payload": mb})
        print(f" {median(run['walls']):.1f} ms", flush=True)
    print()
    print(bend_table(runs, args))
    print()
    for sentence in bend_findings(runs, info, args):
        print("- " + sentence)
    return {"settings": bend_settings(args), "python": info, "runs": runs}


def said_before(args, seconds):
    """What the run promises before it starts: nothing sent, about how long, and where its figures go."""
    print(f"Nothing is sent anywhere else. About {seconds:.0f} s; Ctrl-C stops it.")
    if args.json:
        print(f"The figures will be written to {args.json}.")
    sys.stdout.flush()


def deliver(args, figures):
    """Writes the figures where they were asked for, and prints their link: 0, or 1 when they could not be written
    (they are then printed, unless the link holds them)."""
    failed = args.json and save(args.json, figures)
    if failed:
        print(f"\nThe figures could not be written to {args.json} ({failed}).", file=sys.stderr)
        if not args.page:
            # Without a link, they would be lost: here they are, for threadlab's Python room.
            print(f"Here they are, to paste into threadlab's Python room:\n{json.dumps(figures)}")
    elif args.json:
        print(f"\nThe figures are in {args.json}: paste them into threadlab's Python room.")
    if args.page:
        address = link(args, figures)
        print(f"\nThese figures beside your browser's (nothing leaves this machine until you open it):\n{address}")
        if args.open:
            webbrowser.open(address)
    elif not failed:
        print("\nGive --page with threadlab's address for a link that opens these figures there.")
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit("\nstopped")
