#!/usr/bin/env python3
"""Contract test of the sample servers (servers/CONTRACT.md).

Starts every server of resources/servers.json the way the app does (its catalog
entry, HOST/PORT/WORKERS, its own process group) from the folder that
servers/build.sh built, and checks each endpoint byte for byte, the status codes
and content types, the 400/404 cases, the prime counts against a sieve, /io's
wait, that the declared ioWait ("async" or "blocking") is what the server does
under concurrency, that it listens on 127.0.0.1 only, that stdout carries only
start-up lines, and that SIGTERM ends it and all its workers within 5 s.

The database paths run against a real private PostgreSQL, started through the
app's own PostgresCluster by the pgcluster fixture (tests/fixtures/pgcluster.cpp):
/db, /queries (n = 1, 20, 500; 0, 501, abc, missing, repeated) and /fortunes
are validated the way TechEmpower's toolset validates them (JSON shape and
types, ids in range, and here also each row against the table; the fortunes
page parsed and compared with the expected one, escaping included), /info is
checked against the build manifest, and the database work is counted on the
database side in pg_stat_statements: k requests of /queries?n=20 ran 20·k
SELECTs on world, not fewer (no caching) and not in fewer statements (no
batching). Without DATABASE_URL the database paths answer 503.

A server that the set-up should have built but did not is a failure, not a
skip: `make test` promises all eight.

    contract_test.py [--servers-dir DIR] [--only ID[,ID...]]

Environment (set by ctest): STACKADVISOR_SOURCE_DIR, STACKADVISOR_SERVERS_DIR,
STACKADVISOR_BIN_DIR (where pgcluster is). Python 3 standard library only.
"""

import argparse
import errno
import html.parser
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback

IDS = ["go-gin", "go-fiber", "go-echo", "go-nethttp",
       "python-fastapi", "python-django", "python-flask", "node-express"]
HELLO_JSON = b'{"message":"Hello, World!"}'
HELLO_TEXT = b"Hello, World!"
READY_TIMEOUT_S = 30
STOP_LIMIT_S = 5.0
CPU_CASES = [1, 2, 3, 4, 5, 10, 100, 7919, 7920, 65536, 100000, 1000000]
BAD_IO = ["", "ms=", "ms=abc", "ms=-1", "ms=10001", "ms=1.5", "ms=%2B5", "ms=%205", "ms=0x10",
          "ms=99999999999999999999999"]
BAD_CPU = ["", "n=", "n=0", "n=-3", "n=10000001", "n=2e3", "n=ten", "n=%2B7"]
BAD_QUERIES = ["", "n=", "n=0", "n=501", "n=abc", "n=-1", "n=1.5", "n=x&n=3"]
DATABASE_PATHS = ["/db", "/queries?n=5", "/fortunes"]
COUNTED_REQUESTS = 16  # k of "k requests of /queries?n=20 ran 20k selects"
COUNTING_CONCURRENCY = 4
# TechEmpower's fortune rows (toolset/databases/postgres/create-postgres.sql),
# and the one each server adds at request time.
FORTUNES = {
    1: "fortune: No such file or directory",
    2: "A computer scientist is someone who fixes things that aren't broken.",
    3: "After enough decimal places, nobody gives a damn.",
    4: "A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1",
    5: "A computer program does what you tell it to do, not what you want it to do.",
    6: "Emacs is a nice operating system, but I prefer UNIX. \u2014 Tom Christaensen",
    7: "Any program that runs right is obsolete.",
    8: "A list is only as strong as its weakest link. \u2014 Donald Knuth",
    9: "Feature: A bug with seniority.",
    10: "Computers make very fast, very accurate mistakes.",
    11: '<script>alert("This should not be displayed in a browser alert box.");</script>',
    12: "\u30d5\u30ec\u30fc\u30e0\u30ef\u30fc\u30af\u306e\u30d9\u30f3\u30c1\u30de\u30fc\u30af",
    0: "Additional fortune added at request time.",
}


class ContractError(AssertionError):
    pass


def check(condition, message):
    if not condition:
        raise ContractError(message)


def primes_below(limits):
    """Reference prime counts by a sieve of Eratosthenes (not the servers'
    trial division), for each limit."""
    top = max(limits)
    sieve = bytearray([1]) * max(top, 2)
    sieve[0:2] = b"\x00\x00"
    for i in range(2, int(top ** 0.5) + 1):
        if sieve[i]:
            sieve[i * i::i] = bytearray(len(range(i * i, top, i)))
    return {n: sum(sieve[:n]) for n in limits}


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port, path, timeout=30.0):
    """GET path; returns (status, lowercased headers, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        headers = {k.lower(): v for k, v in response.getheaders()}
        return response.status, headers, body
    finally:
        conn.close()


def media_type(headers, expected, what):
    """Content-Type must be `expected`, optionally with charset=utf-8."""
    value = headers.get("content-type", "")
    parts = [p.strip() for p in value.split(";")]
    check(parts[0].lower() == expected, f"{what}: Content-Type is {value!r}, expected {expected}")
    for param in parts[1:]:
        key, _, val = param.partition("=")
        check(key.strip().lower() == "charset" and val.strip().strip('"').lower() == "utf-8",
              f"{what}: unexpected Content-Type parameter in {value!r}")


def group_pids(pgid):
    """Live (non-zombie) processes of a process group, from /proc."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read().decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        state, pgrp = fields[0], int(fields[2])
        if pgrp == pgid and state not in ("Z", "X"):
            pids.append(int(entry))
    return pids


def listening_addresses(port):
    """Local addresses of the LISTEN sockets on `port`, from /proc/net/tcp{,6}."""
    found = []
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        try:
            with open(table) as f:
                lines = f.readlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            address, port_hex = fields[1].split(":")
            if fields[3] == "0A" and int(port_hex, 16) == port:
                if width == 8:
                    found.append(socket.inet_ntop(socket.AF_INET, bytes.fromhex(address)[::-1]))
                else:
                    raw = b"".join(bytes.fromhex(address[i:i + 8])[::-1] for i in range(0, 32, 8))
                    found.append(socket.inet_ntop(socket.AF_INET6, raw))
    return found


class Catalog:
    def __init__(self, source_dir, servers_dir):
        self.source_dir = source_dir
        self.servers_dir = servers_dir
        with open(os.path.join(source_dir, "resources", "servers.json"), encoding="utf-8") as f:
            catalog = json.load(f)
        self.entries = {e["id"]: e for e in catalog["servers"]}
        manifest_path = os.path.join(servers_dir, "manifest.json")
        try:
            with open(manifest_path, encoding="utf-8") as f:
                self.manifest = json.load(f)["servers"]
        except OSError as error:
            raise ContractError(f"no build manifest at {manifest_path} ({error.strerror}): "
                                f"run `make servers` (servers/build.sh {servers_dir}) first")

    def expand(self, text, port, workers):
        for key, value in (("{serversDir}", self.servers_dir),
                           ("{sourceDir}", os.path.join(self.source_dir, "servers")),
                           ("{host}", "127.0.0.1"), ("{port}", str(port)), ("{workers}", str(workers))):
            text = text.replace(key, value)
        return text


class Server:
    """One running server, started like the app starts it."""

    def __init__(self, catalog, server_id, workers, database_url=None):
        entry = catalog.entries[server_id]
        self.id = server_id
        self.port = free_port()
        self.workers = workers
        expand = lambda s: catalog.expand(s, self.port, workers)
        program = expand(entry["program"])
        argv = [program] + [expand(a) for a in entry.get("arguments", [])]
        env = dict(os.environ)
        env.update({k: expand(v) for k, v in entry.get("environment", {}).items()})
        env.update({"HOST": "127.0.0.1", "PORT": str(self.port), "WORKERS": str(workers)})
        env.pop("DATABASE_URL", None)
        if database_url:
            env["DATABASE_URL"] = database_url
        cwd = expand(entry.get("workingDirectory", "")) or None
        self.readiness = entry.get("readinessPath", "/healthz")
        self.stderr = tempfile.TemporaryFile()
        self.stdout_lines = []  # (time, line)
        self.process = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.PIPE, stderr=self.stderr,
                                        start_new_session=True)
        self.pgid = self.process.pid
        self.ready_at = None
        self.reader = threading.Thread(target=self._read_stdout, daemon=True)
        self.reader.start()

    def _read_stdout(self):
        for line in self.process.stdout:
            self.stdout_lines.append((time.monotonic(), line.decode(errors="replace").rstrip("\n")))

    def stderr_tail(self, limit=1500):
        self.stderr.seek(0)
        return self.stderr.read().decode(errors="replace")[-limit:]

    def wait_ready(self):
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ContractError(f"exited with status {self.process.returncode} before it was ready; "
                                    f"stderr: {self.stderr_tail()!r}")
            try:
                status, _, body = request(self.port, self.readiness, timeout=2)
                if status == 200:
                    check(body == b"ok", f"GET {self.readiness}: body {body!r}, expected b'ok'")
                    self.ready_at = time.monotonic()
                    return
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.05)
        raise ContractError(f"not ready on GET {self.readiness} within {READY_TIMEOUT_S} s; "
                            f"stderr: {self.stderr_tail()!r}")

    def kill(self):
        """Leftover cleanup: SIGKILL the whole group."""
        try:
            os.killpg(self.pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        self.reader.join(timeout=2)
        self.stderr.close()


class Database:
    """The private PostgreSQL of these checks: the app's PostgresCluster run by
    the pgcluster fixture in a fresh data folder, stopped (stdin closed) at the
    end, and psql as its superuser on the cluster's socket."""

    def __init__(self, bin_dir):
        helper = os.path.join(bin_dir, "pgcluster")
        if not os.access(helper, os.X_OK):
            raise ContractError(f"no pgcluster fixture at {helper}: build it (make build)")
        # Under /tmp, and searchable: as root the cluster runs as "postgres".
        self.root = tempfile.mkdtemp(prefix="contract-postgres-")
        os.chmod(self.root, 0o755)
        self.started = time.monotonic()
        self.process = subprocess.Popen([helper, "--data", os.path.join(self.root, "data")], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        line = self.process.stdout.readline()
        try:
            self.info = json.loads(line)
        except ValueError:
            self.info = {"event": "none", "reason": self.process.stderr.read().decode(errors="replace")}
        if self.info.get("event") != "ready":
            self.close()
            raise ContractError(f"the private PostgreSQL did not start: {self.info.get('failure', '')} "
                                f"{self.info.get('reason', '')}")
        self.url = self.info["databaseUrl"]
        self.start_s = time.monotonic() - self.started
        rows = self.sql("SELECT id, randomnumber FROM world")
        self.world = {int(i): int(r) for i, r in (row.split("|") for row in rows)}
        check(len(self.world) == 10000, f"the world table has {len(self.world)} rows, expected 10000")

    def sql(self, statement):
        """Runs one statement as the superuser; the rows as "a|b" lines."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["PGCLIENTENCODING"] = "UTF8"
        result = subprocess.run([os.path.join(self.info["binDir"], "psql"), "-X", "-A", "-t", "-q",
                                 "-v", "ON_ERROR_STOP=1", "-h", self.info["socketDirectory"],
                                 "-p", str(self.info["port"]), "-U", self.info["superuser"],
                                 "-d", self.info["database"], "-c", statement],
                                capture_output=True, env=env, timeout=60)
        if result.returncode != 0:
            raise ContractError(f"psql failed on {statement!r}: {result.stderr.decode(errors='replace')}")
        return [line for line in result.stdout.decode().splitlines() if line]

    def statements_on(self, table):
        """(calls, rows) of the servers' SELECTs on table, from pg_stat_statements."""
        rows = self.sql("SELECT coalesce(sum(calls), 0), coalesce(sum(rows), 0) FROM pg_stat_statements "
                        "WHERE userid = (SELECT oid FROM pg_roles WHERE rolname = 'benchmarkdbuser') "
                        f"AND query ~* '^\\s*select' AND query ~* '\\m{table}\\M'")
        calls, count = rows[0].split("|")
        return int(calls), int(count)

    def close(self):
        if self.process.poll() is None:
            try:
                self.process.stdin.close()
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        shutil.rmtree(self.root, ignore_errors=True)


def json_body(status, headers, body, what, expected_status=200):
    check(status == expected_status, f"{what}: status {status}, expected {expected_status}; body {body[:300]!r}")
    media_type(headers, "application/json", what)
    try:
        return json.loads(body)
    except ValueError:
        raise ContractError(f"{what}: body is not JSON: {body[:300]!r}")


def check_world(row, database, what):
    """A world object as TechEmpower's verify_randomnumber_object checks it
    (keys id and randomNumber, integers, id in 1..10000), stricter (exactly
    those keys, in that order) and against the table: the server read the row."""
    check(isinstance(row, dict), f"{what}: expected a JSON object, got {row!r:.80}")
    check(list(row) == ["id", "randomNumber"], f"{what}: keys {list(row)}, expected [\"id\", \"randomNumber\"]")
    ident, number = row["id"], row["randomNumber"]
    check(type(ident) is int and type(number) is int, f"{what}: id and randomNumber must be integers: {row!r}")
    check(1 <= ident <= 10000, f"{what}: id {ident} is not between 1 and 10000")
    check(1 <= number <= 10000, f"{what}: randomNumber {number} is not between 1 and 10000")
    check(database.world[ident] == number,
          f"{what}: row {ident} has randomNumber {database.world[ident]} in the table, the server said {number}")


class FortunesPage(html.parser.HTMLParser):
    """The page as a list of tags and texts, character references decoded:
    the messages only come out as the expected text if the server escaped
    them (an unescaped <script> row would be a script element here)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items = []
        self.doctype = None

    def handle_decl(self, decl):
        self.doctype = decl.lower()

    def handle_starttag(self, tag, attrs):
        self.items.append(f"<{tag}>")

    def handle_endtag(self, tag):
        self.items.append(f"</{tag}>")

    def handle_data(self, data):
        if data.strip():
            if self.items and self.items[-1].startswith("text:"):
                self.items[-1] += data  # one text split around a character reference
            else:
                self.items.append("text:" + data)


def expected_fortunes_page():
    items = ["<html>", "<head>", "<title>", "text:Fortunes", "</title>", "</head>", "<body>", "<table>",
             "<tr>", "<th>", "text:id", "</th>", "<th>", "text:message", "</th>", "</tr>"]
    for ident, message in sorted(FORTUNES.items(), key=lambda fortune: fortune[1]):
        items += ["<tr>", "<td>", f"text:{ident}", "</td>", "<td>", f"text:{message}", "</td>", "</tr>"]
    return items + ["</table>", "</body>", "</html>"]


def check_fortunes(port):
    status, headers, body = request(port, "/fortunes")
    check(status == 200, f"GET /fortunes: status {status}; body {body[:300]!r}")
    content_type = headers.get("content-type", "")
    check(re.match(r"^text/html; ?charset=utf-8$", content_type, re.IGNORECASE),
          f"GET /fortunes: Content-Type is {content_type!r}, expected text/html; charset=utf-8")
    page = FortunesPage()
    page.feed(body.decode("utf-8"))
    page.close()
    check(page.doctype == "doctype html", f"GET /fortunes: doctype {page.doctype!r}, expected <!DOCTYPE html>")
    expected = expected_fortunes_page()
    if page.items != expected:
        first = next((i for i, (a, b) in enumerate(zip(page.items, expected)) if a != b),
                     min(len(page.items), len(expected)))
        raise ContractError(f"GET /fortunes: the page differs from the expected one at item {first}: "
                            f"got {page.items[first:first + 4]!r}, expected {expected[first:first + 4]!r}")


def get_many(port, path, count, concurrency):
    """count GETs of path over `concurrency` keep-alive connections; the
    (status, body) of each."""
    results = []
    lock = threading.Lock()
    shares = [count // concurrency + (1 if i < count % concurrency else 0) for i in range(concurrency)]

    def worker(share):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            for _ in range(share):
                conn.request("GET", path)
                response = conn.getresponse()
                outcome = (response.status, response.read())
                with lock:
                    results.append(outcome)
        except (OSError, http.client.HTTPException) as error:
            with lock:
                results.append((None, repr(error).encode()))
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, args=(share,)) for share in shares]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def check_counted(database, port, path, table, per_request_calls, per_request_rows):
    """k requests of path ran per_request_calls SELECTs on table each, read
    per_request_rows rows each: counted by PostgreSQL, not by the server."""
    before = database.statements_on(table)
    results = get_many(port, path, COUNTED_REQUESTS, COUNTING_CONCURRENCY)
    bad = [r for r in results if r[0] != 200]
    check(not bad, f"{len(bad)} of {COUNTED_REQUESTS} GET {path} failed, e.g. {bad[0] if bad else ''!r:.200}")
    after = database.statements_on(table)
    calls, rows = after[0] - before[0], after[1] - before[1]
    want_calls, want_rows = COUNTED_REQUESTS * per_request_calls, COUNTED_REQUESTS * per_request_rows
    check(calls == want_calls and rows == want_rows,
          f"{COUNTED_REQUESTS} GET {path} ran {calls} SELECTs on {table} reading {rows} rows; expected "
          f"{want_calls} reading {want_rows} (fewer: cached or batched; more: queries the contract does not ask for)")
    return calls


def check_database_paths(server, database, built, runtime):
    port = server.port
    for _ in range(3):
        row = json_body(*request(port, "/db"), "GET /db")
        check_world(row, database, "GET /db")
    for n in (1, 20, 500):
        rows = json_body(*request(port, f"/queries?n={n}"), f"GET /queries?n={n}")
        check(isinstance(rows, list), f"GET /queries?n={n}: expected a JSON array, got {rows!r:.80}")
        check(len(rows) == n, f"GET /queries?n={n}: {len(rows)} rows, expected {n}")
        for i, row in enumerate(rows):
            check_world(row, database, f"GET /queries?n={n} row {i}")
        if n == 500:
            check(len({r["id"] for r in rows}) > 400, f"GET /queries?n=500: only {len({r['id'] for r in rows})} "
                                                      "distinct ids: the ids must be random")
    rows = json_body(*request(port, "/queries?n=3&n=x"), "GET /queries?n=3&n=x")
    check(isinstance(rows, list) and len(rows) == 3, f"GET /queries?n=3&n=x: the first value counts; got {rows!r:.120}")
    for query in BAD_QUERIES:
        target = f"/queries?{query}" if query else "/queries"
        error = json_body(*request(port, target), f"GET {target}", expected_status=400)
        check(isinstance(error, dict) and isinstance(error.get("error"), str) and error["error"],
              f"GET {target}: 400 body has no \"error\" string: {error!r}")
    check_fortunes(port)

    info = json_body(*request(port, "/info"), "GET /info")
    check(info.get("id") == server.id and info.get("workers") == server.workers,
          f"GET /info: id {info.get('id')!r}, workers {info.get('workers')!r}; expected {server.id}, {server.workers}")
    db = info.get("database")
    check(isinstance(db, dict) and db.get("configured") is True, f"GET /info: database.configured is not true: {db!r}")
    for field in ("driver", "driverVersion", "pool", "poolSizeSource"):
        check(isinstance(db.get(field), str) and db[field], f"GET /info: no database.{field} string")
    check(type(db.get("poolSize")) is int and db["poolSize"] >= 1, f"GET /info: database.poolSize {db.get('poolSize')!r}")
    pools = 1 if runtime == "go" else server.workers
    check(db.get("pools") == pools, f"GET /info: database.pools {db.get('pools')!r}, expected {pools}")
    components = built.get("components", {})
    pinned = {k.rsplit("/", 2)[-2] if k.startswith("github.com/") else k: v for k, v in components.items()}
    if db["driver"] in pinned:
        check(pinned[db["driver"]] == db["driverVersion"],
              f"GET /info: driver {db['driver']} {db['driverVersion']}, the manifest says {pinned[db['driver']]}")

    queries = check_counted(database, port, "/queries?n=20", "world", 20, 20)
    check_counted(database, port, "/db", "world", 1, 1)
    check_counted(database, port, "/fortunes", "fortune", 1, 12)
    return f"{COUNTED_REQUESTS}x/queries?n=20 = {queries} selects, pool {db['poolSize']}x{db['pools']}"


def check_without_database(server):
    """No DATABASE_URL: the database paths answer 503 with a JSON error that
    says so (after /queries has checked its parameter); /info works."""
    for path in DATABASE_PATHS:
        error = json_body(*request(server.port, path), f"GET {path} without DATABASE_URL", expected_status=503)
        check(isinstance(error, dict) and "DATABASE_URL" in str(error.get("error")),
              f"GET {path} without DATABASE_URL: the error should say DATABASE_URL is not set: {error!r}")
    json_body(*request(server.port, "/queries?n=0"), "GET /queries?n=0 without DATABASE_URL", expected_status=400)
    info = json_body(*request(server.port, "/info"), "GET /info without DATABASE_URL")
    check(isinstance(info.get("database"), dict) and info["database"].get("configured") is False,
          f"GET /info without DATABASE_URL: database.configured should be false: {info!r:.200}")


def check_endpoints(server, reference):
    port = server.port
    status, headers, body = request(port, "/json")
    check(status == 200, f"GET /json: status {status}")
    media_type(headers, "application/json", "GET /json")
    check(body == HELLO_JSON, f"GET /json: body {body!r}, expected {HELLO_JSON!r}")

    status, headers, body = request(port, "/plaintext")
    check(status == 200, f"GET /plaintext: status {status}")
    media_type(headers, "text/plain", "GET /plaintext")
    check(body == HELLO_TEXT, f"GET /plaintext: body {body!r}, expected {HELLO_TEXT!r}")

    status, headers, _ = request(port, "/healthz")
    media_type(headers, "text/plain", "GET /healthz")

    for ms in (0, 1, 250):
        started = time.monotonic()
        status, headers, body = request(port, f"/io?ms={ms}")
        elapsed_ms = (time.monotonic() - started) * 1000
        check(status == 200, f"GET /io?ms={ms}: status {status}")
        media_type(headers, "application/json", f"GET /io?ms={ms}")
        expected = b'{"waited_ms":%d}' % ms
        check(body == expected, f"GET /io?ms={ms}: body {body!r}, expected {expected!r}")
        check(elapsed_ms >= ms, f"GET /io?ms={ms} answered after {elapsed_ms:.1f} ms, before it waited {ms} ms")
    status, _, body = request(port, "/io?ms=3&ms=x")
    check(status == 200 and body == b'{"waited_ms":3}',
          f"GET /io?ms=3&ms=x: the first value counts; got {status} {body!r}")

    for n in CPU_CASES:
        status, headers, body = request(port, f"/cpu?n={n}", timeout=120)
        check(status == 200, f"GET /cpu?n={n}: status {status}")
        media_type(headers, "application/json", f"GET /cpu?n={n}")
        expected = b'{"n":%d,"primes":%d}' % (n, reference[n])
        check(body == expected, f"GET /cpu?n={n}: body {body!r}, expected {expected!r}")
    status, _, body = request(port, "/cpu?n=0010")
    check(status == 200 and body == b'{"n":10,"primes":4}', f"GET /cpu?n=0010: got {status} {body!r}")

    for path, cases in (("/io", BAD_IO), ("/cpu", BAD_CPU)):
        for query in cases:
            target = f"{path}?{query}" if query else path
            status, headers, body = request(port, target)
            check(status == 400, f"GET {target}: status {status}, expected 400")
            media_type(headers, "application/json", f"GET {target}")
            try:
                error = json.loads(body)
            except ValueError:
                raise ContractError(f"GET {target}: 400 body is not JSON: {body!r}")
            check(isinstance(error, dict) and isinstance(error.get("error"), str) and error["error"],
                  f"GET {target}: 400 body has no \"error\" string: {body!r}")

    for target in ("/", "/nope", "/jsonx", "/healthz/extra", "/cpux?n=3"):
        status, _, _ = request(port, target)
        check(status == 404, f"GET {target}: status {status}, expected 404")


def check_binding(server):
    addresses = listening_addresses(server.port)
    check(addresses, f"no LISTEN socket on port {server.port} in /proc/net/tcp or tcp6")
    check(all(a == "127.0.0.1" for a in addresses),
          f"listens on {sorted(set(addresses))}, expected 127.0.0.1 only")
    # Every 127/8 address reaches lo: a wildcard bind would accept here.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(2)
        code = s.connect_ex(("127.0.0.2", server.port))
    check(code == errno.ECONNREFUSED, f"127.0.0.2:{server.port} answered (connect_ex={code}): "
                                      "the server must bind HOST only")


def concurrent_io(port, count, ms):
    """Sends `count` simultaneous GET /io?ms=N; returns the wall time in ms."""
    results = [None] * count
    barrier = threading.Barrier(count)

    def one(i):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.connect()
            barrier.wait(timeout=30)
            conn.request("GET", f"/io?ms={ms}")
            response = conn.getresponse()
            results[i] = (response.status, response.read())
            conn.close()
        except Exception as error:  # reported below with the others
            results[i] = (None, repr(error))

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed_ms = (time.monotonic() - started) * 1000
    expected = (200, b'{"waited_ms":%d}' % ms)
    bad = [r for r in results if r != expected]
    if bad:
        raise ContractError(f"{len(bad)} of {count} concurrent GET /io?ms={ms} failed, e.g. {bad[0]!r}")
    return elapsed_ms


def check_io_model(server, io_wait):
    if io_wait == "async":
        count, ms = 50, 200
        elapsed = concurrent_io(server.port, count, ms)
        # Serially this would take 10 s; waiting concurrently, a bit over 200 ms.
        check(elapsed < 2500, f"{count} concurrent GET /io?ms={ms} took {elapsed:.0f} ms: "
                              f"an async server should overlap the waits (serial: {count * ms} ms)")
    else:
        count, ms = 10, 200
        elapsed = concurrent_io(server.port, count, ms)
        # Each sync worker sleeps through its request: count/WORKERS rounds.
        floor = (count // server.workers) * ms * 0.9
        check(elapsed >= floor, f"{count} concurrent GET /io?ms={ms} with WORKERS={server.workers} took "
                                f"{elapsed:.0f} ms: a server declared \"blocking\" should need about "
                                f"{count // server.workers * ms} ms; is its ioWait right?")
    return elapsed


def check_worker_processes(server, runtime):
    if runtime in ("python", "node"):
        pids = group_pids(server.pgid)
        check(len(pids) >= 1 + server.workers,
              f"WORKERS={server.workers} but the process group has only {len(pids)} process(es)")


def check_stop(server, to_group):
    """SIGTERM while a request is sleeping, to the whole group (as the app
    stops a server) or to the started process alone (which must then take
    its workers down itself): every process gone within 5 s."""
    pids = group_pids(server.pgid)
    sleeper = threading.Thread(target=lambda: _ignore_errors(request, server.port, "/io?ms=8000", 15),
                               daemon=True)
    sleeper.start()
    time.sleep(0.3)
    if to_group:
        os.killpg(server.pgid, signal.SIGTERM)
    else:
        os.kill(server.process.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_LIMIT_S
    while time.monotonic() < deadline:
        server.process.poll()
        if not group_pids(server.pgid):
            return time.monotonic() - (deadline - STOP_LIMIT_S)
        time.sleep(0.05)
    left = group_pids(server.pgid)
    raise ContractError(f"{len(left)} of {len(pids)} process(es) still running {STOP_LIMIT_S:.0f} s "
                        f"after SIGTERM: {left}")


def _ignore_errors(function, *args):
    try:
        function(*args)
    except Exception:
        pass


def check_stdout(server):
    """Only start-up lines on stdout: "<id> listening on http://..." or
    "<id> starting <server> on http://...". (A clustered server may print its
    line just after its first worker answers, so the time is not checked.)"""
    server.reader.join(timeout=2)
    pattern = re.compile(r"^%s (listening on|starting \S+ on) http://" % re.escape(server.id))
    other = [line for _, line in server.stdout_lines if not pattern.match(line)]
    check(not other, f"printed on stdout other than its start-up line (logs belong on stderr): {other[:3]!r}")
    check(len(server.stdout_lines) <= 1 + server.workers,
          f"printed {len(server.stdout_lines)} start-up lines on stdout")


def check_bad_environment(catalog, server_id):
    """A missing PORT or a bad WORKERS: exit status 2 and a line naming it."""
    entry = catalog.entries[server_id]
    expand = lambda text: catalog.expand(text, 0, 1)
    argv = [expand(entry["program"])] + [expand(a) for a in entry.get("arguments", [])]
    base = dict(os.environ)
    base.update({k: expand(v) for k, v in entry.get("environment", {}).items()})
    for variable, env in (("PORT", {"HOST": "127.0.0.1"}),
                          ("WORKERS", {"HOST": "127.0.0.1", "PORT": str(free_port()), "WORKERS": "two"})):
        run_env = {k: v for k, v in base.items() if k not in ("PORT", "WORKERS", "HOST")}
        run_env.update(env)
        try:
            result = subprocess.run(argv, cwd=expand(entry.get("workingDirectory", "")) or None, env=run_env,
                                    stdin=subprocess.DEVNULL, capture_output=True, timeout=20,
                                    start_new_session=True)
        except subprocess.TimeoutExpired:
            raise ContractError(f"with a bad {variable} it kept running instead of exiting with status 2")
        check(result.returncode == 2 and variable.encode() in result.stderr,
              f"with a bad {variable}: exit status {result.returncode}, stderr {result.stderr[-300:]!r}; "
              f"expected status 2 and a line naming {variable}")


def check_catalog_fields(entry):
    """The fields the runner needs for the database scenarios."""
    check(entry.get("infoPath") == "/info", "servers.json: \"infoPath\" must be \"/info\"")
    rule = entry.get("ioWorkers")
    check(isinstance(rule, dict), "servers.json: no \"ioWorkers\" object")
    check(type(rule.get("perCore")) is int and rule["perCore"] >= 1, "servers.json: ioWorkers.perCore must be >= 1")
    check(type(rule.get("plus")) is int and rule["plus"] >= 0, "servers.json: ioWorkers.plus must be >= 0")
    check(isinstance(rule.get("source"), str) and rule["source"], "servers.json: ioWorkers.source is empty")
    check(str(rule.get("url", "")).startswith("https://"), "servers.json: ioWorkers.url must be an https:// link")


def test_server(catalog, server_id, reference, database):
    entry = catalog.entries.get(server_id)
    check(entry is not None, "no entry in resources/servers.json")
    built = catalog.manifest.get(server_id)
    check(built is not None, f"not in {catalog.servers_dir}/manifest.json: run `make servers`")
    check(built.get("ready") is True,
          f"not built: {built.get('reason') or 'manifest says not ready'} (make test needs all eight)")
    for field in ("frameworkVersion", "runtimeVersion", "footprintWhat"):
        check(isinstance(built.get(field), str) and built[field], f"manifest.json: no \"{field}\"")
    check(isinstance(built.get("footprintBytes"), int) and built["footprintBytes"] > 0,
          "manifest.json: \"footprintBytes\" is not a positive integer")
    check(entry.get("ioWait") in ("async", "blocking"), "servers.json: \"ioWait\" must be async or blocking")
    check_catalog_fields(entry)
    check_bad_environment(catalog, server_id)
    notes = []
    servers = []
    try:
        server = Server(catalog, server_id, workers=1)
        servers.append(server)
        server.wait_ready()
        check_endpoints(server, reference)
        check_without_database(server)
        check_binding(server)
        stop_s = check_stop(server, to_group=True)
        check_stdout(server)
        notes.append(f"group stop {stop_s:.1f}s")

        server = Server(catalog, server_id, workers=2, database_url=database.url)
        servers.append(server)
        server.wait_ready()
        check_worker_processes(server, entry.get("runtime"))
        elapsed = check_io_model(server, entry.get("ioWait", "async"))
        notes.append(f"io {entry.get('ioWait')} {elapsed:.0f}ms")
        database_started = time.monotonic()
        counted = check_database_paths(server, database, built, entry.get("runtime"))
        notes.append(f"database {time.monotonic() - database_started:.1f}s: {counted}")
        check_binding(server)
        stop_s = check_stop(server, to_group=False)
        check_stdout(server)
        notes.append(f"WORKERS=2 main-process stop {stop_s:.1f}s")
    except ContractError as error:
        tail = servers[-1].stderr_tail() if servers else ""
        raise ContractError(f"{error}" + (f"\n      stderr: {tail!r}" if tail else ""))
    finally:
        for server in servers:
            server.kill()
    return ", ".join(notes)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_source = os.path.dirname(os.path.dirname(here))
    parser = argparse.ArgumentParser(description="Contract test of the sample servers (servers/CONTRACT.md).")
    parser.add_argument("--servers-dir", help="folder built by servers/build.sh "
                        "(default: $STACKADVISOR_SERVERS_DIR, else <repo>/build/servers)")
    parser.add_argument("--only", help="comma-separated server ids to test (default: all eight)")
    args = parser.parse_args()

    source_dir = os.environ.get("STACKADVISOR_SOURCE_DIR") or default_source
    servers_dir = (args.servers_dir or os.environ.get("STACKADVISOR_SERVERS_DIR")
                   or os.path.join(source_dir, "build", "servers"))
    ids = IDS
    if args.only:
        ids = [i.strip() for i in args.only.split(",") if i.strip()]
        unknown = [i for i in ids if i not in IDS]
        if unknown:
            parser.error(f"unknown server id(s) {unknown}: choose from {', '.join(IDS)}")

    try:
        catalog = Catalog(source_dir, os.path.abspath(servers_dir))
    except ContractError as error:
        print(f"contract: {error}", file=sys.stderr)
        print(f"contract: 0 passed, {len(ids)} failed")
        return 1
    reference = primes_below(CPU_CASES)
    check(reference[1000000] == 78498, "the reference sieve is wrong")
    bin_dir = os.environ.get("STACKADVISOR_BIN_DIR") or os.path.join(source_dir, "build", "bin")
    try:
        database = Database(bin_dir)
    except ContractError as error:
        print(f"contract: {error}", file=sys.stderr)
        print(f"contract: 0 passed, {len(ids)} failed")
        return 1
    print(f"contract: PostgreSQL {database.info['version']} on port {database.info['port']} as "
          f"{database.info['runAs']} (created and seeded in {database.start_s:.1f}s)", flush=True)
    try:
        return run_servers(catalog, ids, reference, database)
    finally:
        database.close()


def run_servers(catalog, ids, reference, database):
    passed, failed = [], []
    for server_id in ids:
        started = time.monotonic()
        try:
            notes = test_server(catalog, server_id, reference, database)
            passed.append(server_id)
            print(f"PASS {server_id} ({time.monotonic() - started:.1f}s; {notes})", flush=True)
        except ContractError as error:
            failed.append(server_id)
            print(f"FAIL {server_id}: {error}", flush=True)
        except Exception:
            failed.append(server_id)
            print(f"FAIL {server_id}: unexpected error\n{traceback.format_exc()}", flush=True)
    print(f"contract: {len(passed)} passed, {len(failed)} failed")
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
