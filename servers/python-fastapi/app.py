"""python-fastapi: FastAPI on uvicorn (uvloop, httptools). /io awaits
asyncio.sleep, as an async database or HTTP client would; /cpu runs on the
event loop, blocking it like any CPU work in an async worker.
See servers/CONTRACT.md; started by serve.sh."""

import asyncio

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse

import sacontract

# No interactive docs: a production API server does not serve them.
app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)


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
