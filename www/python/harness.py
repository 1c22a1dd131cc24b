"""threadlab's side of a run in CPython (www/workers/python.js): runs the visitor's program, times each call on the
page's common clock, and hands the calls back as the core reads jobs (crate/src/result.rs, `Job`)."""

import inspect
import json
import linecache
import threading
import traceback

from threadlab_clock import now as _clock

PROGRAM = "experiment.py"
# What each mode calls in the program, and with what.
FUNCTIONS = {
    "single": "single(n, k)",
    "threads": "threads(n, k)",
    "processes": "process(n)",
    "io-sequential": "io_sequential(urls)",
    "io-concurrent": "io_concurrent(urls)",
}
_calls = []
_lanes = {}
_work = "fib"


def now():
    """The common clock (www/runtime/clock.js): milliseconds since the epoch, the same in the page and in every worker."""
    return _clock()


def work():
    """The work of the run under way: "fib", or "sha256" (the size the modes are given is then in MiB)."""
    return _work


def _note(start, args, value):
    lane = _lanes.setdefault(threading.get_ident(), len(_lanes))
    _calls.append({"start": start, "end": now(), "lane": lane, "args": args, "value": value})


def timed(f, *args):
    """Calls f(*args), noting when the call started and ended."""
    start = now()
    value = f(*args)
    _note(start, args, value)
    return value


async def timed_async(f, *args):
    """Awaits f(*args), noting when it started and ended."""
    start = now()
    value = await f(*args)
    _note(start, args, value)
    return value


def _job(index, lane, call, io):
    job = {"index": index, "lane": lane, "start": call["start"], "end": call["end"]}
    if io:
        status, body = call["value"]
        request = {"url": str(call["args"][0]), "status": status, "bytes": len(body)}
        if not 200 <= status < 300:
            request["error"] = f"HTTP {status}"
        job.update(request=request, spans=[{"kind": "request" if "error" not in request else "request-failed",
                                            "start": call["start"], "end": call["end"]}])
    else:
        value = call["value"]
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**64:
            job["value"] = value
        job["spans"] = [{"kind": "compute", "start": call["start"], "end": call["end"]}]
    return job


def _traceback(error):
    """Python's traceback of the program's own lines (not threadlab's), as text."""
    if isinstance(error, ModuleNotFoundError):
        # Pyodide's message offers micropip and loadPackage, which this page does not have.
        replaced = ModuleNotFoundError(
            f"No module named {error.name!r}: threadlab's CPython has the standard library only, and installs no "
            "package", name=error.name)
        error = replaced.with_traceback(error.__traceback__)
    summary = traceback.TracebackException.from_exception(error)
    summary.stack = traceback.StackSummary.from_list([f for f in summary.stack if f.filename == PROGRAM])
    return "".join(summary.format())


async def run(source, call_json):
    """Runs one mode of the program: `{"started", "jobs", "outcome"}`, or `{"error"}` with Python's traceback."""
    global _work
    call = json.loads(call_json)
    mode, io = call["mode"], call["mode"].startswith("io-")
    _work = call.get("work", "fib")
    size = call["mib"] if _work == "sha256" else call["n"]
    _calls.clear()
    _lanes.clear()
    outcome = None
    started = now()
    try:
        # The program's lines, for its traceback.
        linecache.cache[PROGRAM] = (len(source), None, source.splitlines(True), PROGRAM)
        namespace = {"__name__": "experiment"}
        exec(compile(source, PROGRAM, "exec"), namespace)
        signature = FUNCTIONS[mode]
        function = namespace.get(signature.split("(")[0])
        if not callable(function):
            return json.dumps({"error": f"The program has no function {signature}, which {mode} calls."})
        args = [call["urls"]] if io else [size] if mode == "processes" else [size, call["k"]]
        started = now()
        result = function(*args)
        if inspect.isawaitable(result):
            await result
    except RuntimeError as error:
        if mode != "threads" or "can't start new thread" not in str(error):
            return json.dumps({"error": _traceback(error)})
        outcome = f"{type(error).__name__}: {error}"
        _calls.clear()
    except BaseException as error:  # noqa: BLE001 - the visitor's program may raise anything, SystemExit too
        return json.dumps({"error": _traceback(error)})
    calls = sorted(_calls, key=lambda c: c["start"])
    index = call.get("index")
    try:
        jobs = [
            _job(i if index is None else index, i if io else (c["lane"] if index is None else index), c, io)
            for i, c in enumerate(calls)
        ]
    except Exception as error:  # noqa: BLE001
        message = "a request's get(url) must return its (status, body)" if io else "a job must return an int"
        return json.dumps({"error": f"threadlab could not read what a timed call returned ({error!r}): {message}."})
    return json.dumps({"started": started, "jobs": jobs, "outcome": outcome})
