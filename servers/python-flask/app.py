"""python-flask: Flask on gunicorn sync workers. /io blocks its worker in
time.sleep, as a sync database driver would. See servers/CONTRACT.md; started
by serve.sh."""

import time

from flask import Flask, Response, request

import sacontract

app = Flask(__name__)


def _json(obj, status=200):
    # jsonify appends a newline; the contract's bodies are byte-exact.
    return Response(sacontract.dumps(obj), status=status, mimetype="application/json")


@app.get("/healthz")
def healthz():
    return Response("ok", mimetype="text/plain")


@app.get("/json")
def json_endpoint():
    return _json({"message": "Hello, World!"})


@app.get("/plaintext")
def plaintext():
    return Response(sacontract.PLAINTEXT, mimetype="text/plain")


@app.get("/io")
def io():
    try:
        ms = sacontract.parse_io_ms(request.args.get("ms"))
    except sacontract.BadParameter as error:
        return _json({"error": str(error)}, 400)
    time.sleep(ms / 1000)
    return _json({"waited_ms": ms})


@app.get("/cpu")
def cpu():
    try:
        n = sacontract.parse_cpu_n(request.args.get("n"))
    except sacontract.BadParameter as error:
        return _json({"error": str(error)}, 400)
    return _json({"n": n, "primes": sacontract.count_primes(n)})
