"""What every Python sample server shares: the parameter rules of /io, /cpu
and /queries, the prime count, the database paths' answers without a
database and the body of /info. The frameworks differ only in routing,
waiting, writing and how they reach the database, which is what the
benchmarks compare. See servers/CONTRACT.md."""

import importlib.metadata
import json
import os
import random

MAX_IO_MS = 10_000
MAX_CPU_N = 10_000_000
PLAINTEXT = "Hello, World!"
IO_ERROR = "ms must be an integer from 0 to 10000: use /io?ms=N"
CPU_ERROR = "n must be an integer from 1 to 10000000: use /cpu?n=N"
MAX_QUERIES = 500
QUERIES_ERROR = "n must be an integer from 1 to 500: use /queries?n=N"
WORLD_ROWS = 10_000
# Added to the fortunes at request time, as TechEmpower's fortunes test asks.
EXTRA_FORTUNE = "Additional fortune added at request time."
NO_DATABASE = ("no database: this server was started without DATABASE_URL; "
               "start it with DATABASE_URL=postgres://user@host:port/dbname to use /db, /queries and /fortunes")
# The fortunes page, one template for Jinja2 (FastAPI, Flask) and Django's
# engine: the syntax it uses is common to both.
TEMPLATES_DIR = os.path.dirname(os.path.abspath(__file__))
FORTUNES_TEMPLATE = "fortunes.html"


class BadParameter(ValueError):
    """Its message is the "error" of the 400 body."""


def _parse_bounded(raw, low, high, message):
    # ASCII digits only (no sign, no spaces, no empty value), so that every
    # language agrees on what is valid; int() alone would accept " +5".
    if raw is None or not raw or len(raw) > 18 or not (raw.isascii() and raw.isdigit()):
        raise BadParameter(message)
    value = int(raw)
    if not low <= value <= high:
        raise BadParameter(message)
    return value


def parse_io_ms(raw):
    return _parse_bounded(raw, 0, MAX_IO_MS, IO_ERROR)


def parse_cpu_n(raw):
    return _parse_bounded(raw, 1, MAX_CPU_N, CPU_ERROR)


def parse_queries(raw):
    return _parse_bounded(raw, 1, MAX_QUERIES, QUERIES_ERROR)


def database_url():
    """DATABASE_URL, or None when the server runs without a database."""
    return os.environ.get("DATABASE_URL") or None


def database_error(error):
    """The 503 body's error for a failure to reach or query the database."""
    return f"database error: {error}"


def random_id():
    return random.randint(1, WORLD_ROWS)


def world(row):
    """A world row (id, randomnumber) as the contract's JSON object."""
    return {"id": row[0], "randomNumber": row[1]}


def with_extra_fortune(rows):
    """The fortunes (id, message) with the request-time one, sorted by message."""
    fortunes = [(row[0], row[1]) for row in rows]
    fortunes.append((0, EXTRA_FORTUNE))
    fortunes.sort(key=lambda fortune: fortune[1])
    return [{"id": i, "message": m} for i, m in fortunes]


def info(server_id, driver, distribution, pool, pool_size, pool_size_source):
    """The body of /info. Every worker process holds its own pool, so the
    server opens at most WORKERS x pool_size connections."""
    workers = int(os.environ.get("WORKERS") or 1)
    return {"id": server_id, "workers": workers, "database": {
        "configured": database_url() is not None,
        "driver": driver,
        "driverVersion": importlib.metadata.version(distribution),
        "pool": pool,
        "poolSize": pool_size,
        "pools": workers,
        "poolSizeSource": pool_size_source,
    }}


def _is_prime(k):
    if k < 4:
        return k >= 2
    if k % 2 == 0:
        return False
    d = 3
    while d * d <= k:
        if k % d == 0:
            return False
        d += 2
    return True


def count_primes(n):
    """Primes below n by trial division by 2 and the odd numbers up to the
    square root: the same algorithm in every language."""
    count = 0
    for k in range(2, n):
        if _is_prime(k):
            count += 1
    return count


def dumps(obj):
    """Compact JSON, the contract's byte form (json.dumps adds spaces)."""
    return json.dumps(obj, separators=(",", ":"))
