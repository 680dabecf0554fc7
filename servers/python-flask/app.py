"""python-flask: Flask on gunicorn sync workers. /io blocks its worker in
time.sleep, as a sync database driver would. The database paths use psycopg 3
with a psycopg_pool ConnectionPool per worker process and render /fortunes
with Flask's Jinja2. See servers/CONTRACT.md; started by serve.sh."""

import time

import psycopg
import psycopg_pool
from flask import Flask, Response, render_template, request

import sacontract

SELECT_WORLD = "SELECT id, randomnumber FROM world WHERE id = %s"
SELECT_FORTUNES = "SELECT id, message FROM fortune"
# psycopg_pool's documented default size (ConnectionPool: min_size=4,
# max_size=min_size). A sync worker uses one of them at a time.
POOL_SIZE = 4
# Bounds the wait for a connection: a database that is down answers 503 after
# this rather than after psycopg_pool's default 30 s.
POOL_TIMEOUT_S = 5

app = Flask(__name__, template_folder=sacontract.TEMPLATES_DIR)

# gunicorn imports the app in each worker after the fork, so every worker
# opens its own pool. Statements run in autocommit, as in every other server
# (psycopg would otherwise wrap each request in BEGIN ... COMMIT).
pool = None
if sacontract.database_url() is not None:
    pool = psycopg_pool.ConnectionPool(sacontract.database_url(), min_size=POOL_SIZE, max_size=POOL_SIZE,
                                       timeout=POOL_TIMEOUT_S, kwargs={"autocommit": True}, open=True)


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


def _unavailable(message):
    return _json({"error": message}, 503)


@app.get("/db")
def db():
    if pool is None:
        return _unavailable(sacontract.NO_DATABASE)
    try:
        with pool.connection() as connection:
            row = connection.execute(SELECT_WORLD, (sacontract.random_id(),)).fetchone()
    except (psycopg.Error, psycopg_pool.PoolTimeout) as error:
        return _unavailable(sacontract.database_error(error))
    return _json(sacontract.world(row))


@app.get("/queries")
def queries():
    try:
        n = sacontract.parse_queries(request.args.get("n"))
    except sacontract.BadParameter as error:
        return _json({"error": str(error)}, 400)
    if pool is None:
        return _unavailable(sacontract.NO_DATABASE)
    try:
        with pool.connection() as connection:
            # One query after another on one connection, as in every server.
            worlds = [sacontract.world(connection.execute(SELECT_WORLD, (sacontract.random_id(),)).fetchone())
                      for _ in range(n)]
    except (psycopg.Error, psycopg_pool.PoolTimeout) as error:
        return _unavailable(sacontract.database_error(error))
    return _json(worlds)


@app.get("/fortunes")
def fortunes():
    if pool is None:
        return _unavailable(sacontract.NO_DATABASE)
    try:
        with pool.connection() as connection:
            rows = connection.execute(SELECT_FORTUNES).fetchall()
    except (psycopg.Error, psycopg_pool.PoolTimeout) as error:
        return _unavailable(sacontract.database_error(error))
    return render_template(sacontract.FORTUNES_TEMPLATE, fortunes=sacontract.with_extra_fortune(rows))


@app.get("/info")
def info():
    return _json(sacontract.info("python-flask", "psycopg", "psycopg", "psycopg_pool.ConnectionPool", POOL_SIZE,
                                 "psycopg_pool default: ConnectionPool(min_size=4, max_size=min_size)"))
