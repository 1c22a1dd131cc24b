"""The experiment as a Python program, run in real CPython 3.14 (Pyodide) on your machine.

Edit it and run it again: threadlab calls the function of each mode and checks what each job returns (or that
every request got an answer). `timed` is threadlab's stopwatch: it calls a function and notes when each call started
and ended, for the table and the timeline. `work()` is the form's work: "fib", or "sha256".
"""

import asyncio
import hashlib
import threading

from pyodide.http import pyfetch
from threadlab import timed, timed_async, work


def fib(n):
    """The CPU-bound task: the naive recursive Fibonacci."""
    return n if n < 2 else fib(n - 1) + fib(n - 2)


MIB = bytes(range(256)) * 4096  # one MiB whose byte i is i mod 256


def sha256(mib):
    """The native task: sha256 of mib MiB of that pattern, one MiB at a time, its value the digest's first 6 bytes.
    hashlib's C code lets go of the GIL while it hashes, so CPython's threads hash at once (here there are none)."""
    h = hashlib.sha256()
    for _ in range(mib):
        h.update(MIB)
    return int.from_bytes(h.digest()[:6], "big")


def job(n):
    """One CPU job of the form's work: fib(n), or sha256 of n MiB."""
    return sha256(n) if work() == "sha256" else fib(n)


async def get(url):
    """The IO-bound task: one GET request, awaited; its status and body."""
    response = await pyfetch(url)
    return response.status, await response.bytes()


def single(n, k):
    """single: k jobs, one after another, in this interpreter."""
    return [timed(job, n) for _ in range(k)]


def threads(n, k):
    """threads: k threads of this interpreter, each running one job."""
    results = [None] * k

    def work(i):
        results[i] = timed(job, n)

    started = [threading.Thread(target=work, args=(i,)) for i in range(k)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join()
    return results


def process(n):
    """processes: the job each of k separate interpreters runs (nothing shared, as with multiprocessing)."""
    return timed(job, n)


async def io_sequential(urls):
    """io-sequential: one request after another."""
    return [await timed_async(get, url) for url in urls]


async def io_concurrent(urls):
    """io-concurrent: every request in flight at once, awaited together."""
    return await asyncio.gather(*(timed_async(get, url) for url in urls))
