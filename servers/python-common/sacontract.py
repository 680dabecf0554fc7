"""What every Python sample server shares: the parameter rules of /io and /cpu
and the prime count. The frameworks differ only in routing, waiting and
writing, which is what the benchmarks compare. See servers/CONTRACT.md."""

import json

MAX_IO_MS = 10_000
MAX_CPU_N = 10_000_000
PLAINTEXT = "Hello, World!"
IO_ERROR = "ms must be an integer from 0 to 10000: use /io?ms=N"
CPU_ERROR = "n must be an integer from 1 to 10000000: use /cpu?n=N"


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
