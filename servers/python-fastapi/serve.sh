#!/bin/sh
# Starts python-fastapi as servers/CONTRACT.md says: uvicorn with WORKERS
# processes (with WORKERS=1 uvicorn serves in this very process, no
# supervisor), uvloop and httptools, no access log. servers/build.sh copies
# this next to the venv; run it from there.
set -eu
SERVER_ID=python-fastapi
here=$(cd "$(dirname "$0")" && pwd)
. "$here/app/env.sh"
echo "$SERVER_ID starting uvicorn on http://$BIND (workers=$WORKERS)"
exec "$here/venv/bin/python" -m uvicorn app:app --app-dir "$here/app" \
    --host "$HOST" --port "$PORT" --workers "$WORKERS" \
    --loop uvloop --http httptools --no-access-log --log-level warning \
    --timeout-graceful-shutdown 2
