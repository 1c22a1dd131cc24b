"""The Python side of the experiment: fib in one thread, in threads and in processes; HTTP requests one after
another and from threads, against a local server that answers after a delay. Standard library only.

Run it alone for the whole experiment in plain words:
    python3 bench/python/experiment.py
or one scenario, timed, as JSON (what `npm run bench` does):
    python3 bench/python/experiment.py --scenario cpu-threads --n 30 --workers 2
The convoy: an IO thread making requests one after another, alone and beside k threads (or processes) computing
fib(n) over and over, at a switch interval; each request's latency, against a server in a process of its own (in
this one, its threads would wait for the GIL too):
    python3 bench/python/experiment.py --scenario convoy --workers 2 --requests 20 --delay-ms 2 --switch-ms 5
"""

import argparse
import http.server
import json
import multiprocessing
import socket
import statistics
import sys
import threading
import time
import urllib.request


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def in_threads(target, args_list):
    threads = [threading.Thread(target=target, args=args) for args in args_list]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def cpu_single(n, workers):
    for _ in range(workers):
        fib(n)


def cpu_threads(n, workers):
    in_threads(fib, [(n,)] * workers)


def cpu_processes(n, workers):
    processes = [multiprocessing.Process(target=fib, args=(n,)) for _ in range(workers)]
    for p in processes:
        p.start()
    for p in processes:
        p.join()


class DelayedUser(http.server.BaseHTTPRequestHandler):
    """GET /users/<name>?delay_ms=D answers after D ms with a small JSON user, like the GitHub API the article used."""

    protocol_version = "HTTP/1.1"  # a connection serves request after request (the convoy's IO thread keeps one)
    disable_nagle_algorithm = True  # headers and body go at once, not 40 ms apart (Nagle meeting a delayed ACK)

    def do_GET(self):
        path, _, query = self.path.partition("?")
        delay_ms = float(dict(p.split("=", 1) for p in query.split("&") if "=" in p).get("delay_ms", 0))
        time.sleep(delay_ms / 1000)
        body = json.dumps({"login": path.rsplit("/", 1)[-1], "id": 1}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def start_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), DelayedUser)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def get_user(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def io_sequential(url, requests):
    for _ in range(requests):
        get_user(url)


def io_threads(url, requests):
    in_threads(get_user, [(url,)] * requests)


def fib_until(n, done):
    """A CPU-bound thread or process of the convoy: fib(n) again and again until `done` is set; how many it did."""
    rounds = 0
    while not done.is_set():
        fib(n)
        rounds += 1
    return rounds


def latencies(url, requests):
    """
    The IO thread: `requests` GETs one after another on one kept-alive connection, each one's time in ms. Each is two
    blocking calls, one that sends it and one that waits for its answer, and CPython lets go of the GIL around each
    (urllib would make several more: a connection, headers and body read apart, each costing a hand-over).
    """
    host, _, rest = url.removeprefix("http://").partition("/")
    address, port = host.split(":")
    message = f"GET /{rest} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
    times = []
    with socket.create_connection((address, int(port))) as connection:
        for _ in range(requests):
            start = time.perf_counter()
            connection.sendall(message)
            answer = connection.recv(65536)
            while not answer.endswith(b"}"):  # the JSON body is last; it comes in one piece on loopback
                answer += connection.recv(65536)
            times.append((time.perf_counter() - start) * 1000)
    return times


def convoy(url, n, workers, requests, regime):
    """One regime of the convoy: the IO thread's latencies, alone or beside `workers` CPU threads or processes."""
    if regime == "alone":
        return latencies(url, requests)
    threaded = regime == "gil"
    done = threading.Event() if threaded else multiprocessing.Event()
    start = threading.Thread if threaded else multiprocessing.Process
    cpu = [start(target=fib_until, args=(n, done)) for _ in range(workers)]
    for worker in cpu:
        worker.start()
    time.sleep(0.05)  # every CPU worker computing (a process takes a moment to start)
    times = latencies(url, requests)
    done.set()
    for worker in cpu:
        worker.join()
    return times


def serve(port_out):
    """The delayed server, in a process of its own: its port goes back through `port_out`."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), DelayedUser)
    port_out.send(server.server_port)
    server.serve_forever()


def convoy_scenario(args):
    """The convoy's figures as threadlab's bench compares them: each regime's median latency, and what the GIL adds."""
    sys.setswitchinterval(args.switch_ms / 1000)
    receive, send = multiprocessing.Pipe(duplex=False)
    server = multiprocessing.Process(target=serve, args=(send,), daemon=True)
    server.start()
    url = f"http://127.0.0.1:{receive.recv()}/users/octocat?delay_ms={args.delay_ms:g}"
    latencies(url, 3)  # warm-up
    medians = {}
    for regime in ("alone", "gil", "processes"):
        medians[regime] = statistics.median(convoy(url, args.n, args.workers, args.requests, regime))
    server.terminate()
    return {
        "scenario": "convoy",
        "switchMs": args.switch_ms,
        "medians": medians,
        "addedMs": medians["gil"] - medians["alone"],
    }


CPU = {"cpu-single": cpu_single, "cpu-threads": cpu_threads, "cpu-processes": cpu_processes}
IO = {"io-sequential": io_sequential, "io-threads": io_threads}


def timed(function, *args):
    start = time.perf_counter()
    function(*args)
    return (time.perf_counter() - start) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", choices=[*CPU, *IO, "convoy"])
    parser.add_argument("--n", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--delay-ms", type=float, default=100)
    parser.add_argument("--switch-ms", type=float, default=5)
    args = parser.parse_args()
    if args.scenario == "convoy":
        print(json.dumps(convoy_scenario(args)))
        return

    server = start_server()
    url = f"http://127.0.0.1:{server.server_port}/users/octocat?delay_ms={args.delay_ms:g}"
    if args.scenario in CPU:
        print(json.dumps({"scenario": args.scenario, "ms": timed(CPU[args.scenario], args.n, args.workers)}))
    elif args.scenario in IO:
        print(json.dumps({"scenario": args.scenario, "ms": timed(IO[args.scenario], url, args.requests)}))
    else:
        for name, function in CPU.items():
            print(f"{name:14} fib({args.n}) x {args.workers}: {timed(function, args.n, args.workers):8.1f} ms")
        for name, function in IO.items():
            print(f"{name:14} {args.requests} requests of {args.delay_ms:g} ms: {timed(function, url, args.requests):8.1f} ms")
    server.shutdown()


if __name__ == "__main__":
    main()
