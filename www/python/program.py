"""The experiment as a Python program, run in real CPython 3.14 (Pyodide) on your machine.

Edit it and run it again: threadlab calls the function of each mode and checks what it returns against fib(n)
(or that every request got an answer). `timed` is threadlab's stopwatch: it calls a function and notes when each
call started and ended, for the table and the timeline.
"""

import asyncio
import threading

from pyodide.http import pyfetch
from threadlab import timed, timed_async


def fib(n):
    """The CPU-bound task: the naive recursive Fibonacci."""
    return n if n < 2 else fib(n - 1) + fib(n - 2)


async def get(url):
    """The IO-bound task: one GET request, awaited; its status and body."""
    response = await pyfetch(url)
    return response.status, await response.bytes()


def single(n, k):
    """single: k calls, one after another, in this interpreter."""
    return [timed(fib, n) for _ in range(k)]


def threads(n, k):
    """threads: k threads of this interpreter, each calling fib(n) once."""
    results = [None] * k

    def work(i):
        results[i] = timed(fib, n)

    started = [threading.Thread(target=work, args=(i,)) for i in range(k)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join()
    return results


def process(n):
    """processes: what each of k separate interpreters runs (nothing shared, as with multiprocessing)."""
    return timed(fib, n)


async def io_sequential(urls):
    """io-sequential: one request after another."""
    return [await timed_async(get, url) for url in urls]


async def io_concurrent(urls):
    """io-concurrent: every request in flight at once, awaited together."""
    return await asyncio.gather(*(timed_async(get, url) for url in urls))
