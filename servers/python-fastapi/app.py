"""python-fastapi: FastAPI on uvicorn (uvloop, httptools). /io awaits
asyncio.sleep, as an async database or HTTP client would; /cpu runs on the
event loop, blocking it like any CPU work in an async worker. The database
paths use an asyncpg pool per worker process and render /fortunes with
Jinja2Templates. See servers/CONTRACT.md; started by serve.sh."""

import asyncio
import contextlib

import asyncpg
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from fastapi.templating import Jinja2Templates

import sacontract

SELECT_WORLD = "SELECT id, randomnumber FROM world WHERE id = $1"
SELECT_FORTUNES = "SELECT id, message FROM fortune"
# asyncpg's documented default pool size (create_pool: min_size=10, max_size=10).
POOL_SIZE = 10
# A database that cannot be reached or answers with an error: 503.
DATABASE_ERRORS = (OSError, asyncio.TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError)

_pool = None
_pool_lock = asyncio.Lock()


async def _database():
    """The worker's pool, created on first use: a database that is down makes
    the database paths answer 503 instead of stopping the server."""
    global _pool
    if _pool is None:
        async with _pool_lock:
            if _pool is None:
                _pool = await asyncpg.create_pool(sacontract.database_url(), min_size=POOL_SIZE, max_size=POOL_SIZE)
    return _pool


@contextlib.asynccontextmanager
async def lifespan(app):
    yield
    if _pool is not None:
        _pool.terminate()  # within uvicorn's 2 s of graceful shutdown


# No interactive docs: a production API server does not serve them.
app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
templates = Jinja2Templates(directory=sacontract.TEMPLATES_DIR)


@app.get("/healthz", response_class=PlainTextResponse)
async def healthz():
    return "ok"


@app.get("/json")
async def json_endpoint():
    return {"message": "Hello, World!"}


@app.get("/plaintext", response_class=PlainTextResponse)
async def plaintext():
    return sacontract.PLAINTEXT


def _first(request, name):
    # The first value counts when a parameter is repeated (Starlette's .get()
    # would return the last).
    values = request.query_params.getlist(name)
    return values[0] if values else None


@app.get("/io")
async def io(request: Request):
    try:
        ms = sacontract.parse_io_ms(_first(request, "ms"))
    except sacontract.BadParameter as error:
        return JSONResponse({"error": str(error)}, status_code=400)
    await asyncio.sleep(ms / 1000)
    return {"waited_ms": ms}


@app.get("/cpu")
async def cpu(request: Request):
    try:
        n = sacontract.parse_cpu_n(_first(request, "n"))
    except sacontract.BadParameter as error:
        return JSONResponse({"error": str(error)}, status_code=400)
    return {"n": n, "primes": sacontract.count_primes(n)}


def _unavailable(message):
    return JSONResponse({"error": message}, status_code=503)


@app.get("/db")
async def db():
    if sacontract.database_url() is None:
        return _unavailable(sacontract.NO_DATABASE)
    try:
        pool = await _database()
        row = await pool.fetchrow(SELECT_WORLD, sacontract.random_id())
    except DATABASE_ERRORS as error:
        return _unavailable(sacontract.database_error(error))
    return sacontract.world(row)


@app.get("/queries")
async def queries(request: Request):
    try:
        n = sacontract.parse_queries(_first(request, "n"))
    except sacontract.BadParameter as error:
        return JSONResponse({"error": str(error)}, status_code=400)
    if sacontract.database_url() is None:
        return _unavailable(sacontract.NO_DATABASE)
    try:
        pool = await _database()
        async with pool.acquire() as connection:
            # One query after another on one connection, as in every server.
            worlds = [sacontract.world(await connection.fetchrow(SELECT_WORLD, sacontract.random_id()))
                      for _ in range(n)]
    except DATABASE_ERRORS as error:
        return _unavailable(sacontract.database_error(error))
    return worlds


@app.get("/fortunes")
async def fortunes(request: Request):
    if sacontract.database_url() is None:
        return _unavailable(sacontract.NO_DATABASE)
    try:
        pool = await _database()
        rows = await pool.fetch(SELECT_FORTUNES)
    except DATABASE_ERRORS as error:
        return _unavailable(sacontract.database_error(error))
    return templates.TemplateResponse(request, sacontract.FORTUNES_TEMPLATE,
                                      {"fortunes": sacontract.with_extra_fortune(rows)})


@app.get("/info")
async def info():
    return sacontract.info("python-fastapi", "asyncpg", "asyncpg", "asyncpg.Pool", POOL_SIZE,
                           "asyncpg default: create_pool(min_size=10, max_size=10)")
