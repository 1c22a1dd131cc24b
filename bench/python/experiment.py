"""The Python side of the experiment: fib in one thread, in threads and in processes; HTTP requests one after
another and from threads, against a local server that answers after a delay. Standard library only.

Run it alone for the whole experiment in plain words:
    python3 bench/python/experiment.py
or one scenario, timed, as JSON (what `npm run bench` does):
    python3 bench/python/experiment.py --scenario cpu-threads --n 30 --workers 2
"""

import argparse
import http.server
import json
import multiprocessing
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


CPU = {"cpu-single": cpu_single, "cpu-threads": cpu_threads, "cpu-processes": cpu_processes}
IO = {"io-sequential": io_sequential, "io-threads": io_threads}


def timed(function, *args):
    start = time.perf_counter()
    function(*args)
    return (time.perf_counter() - start) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", choices=[*CPU, *IO])
    parser.add_argument("--n", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--delay-ms", type=float, default=100)
    args = parser.parse_args()

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
