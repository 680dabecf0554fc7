# Starts a WSGI server as servers/CONTRACT.md says: gunicorn with WORKERS sync
# workers, no access log, errors on stderr. The short graceful timeout makes
# SIGTERM end even workers sleeping in /io within the contract's 5 s.
#   sh app/gunicorn.sh SERVER_ID MODULE:CALLABLE   (from a server's serve.sh)
set -eu
SERVER_ID=$1
wsgi_app=$2
here=$(cd "$(dirname "$0")/.." && pwd)   # the server's folder: serve.sh, venv/, app/
. "$here/app/env.sh"
tmp=/dev/shm
[ -d "$tmp" ] && [ -w "$tmp" ] || tmp=${TMPDIR:-/tmp}
echo "$SERVER_ID starting gunicorn on http://$BIND (workers=$WORKERS, sync)"
# --timeout 300: the contract's largest /cpu (n=10000000) takes about a
# minute in CPython; gunicorn's default 30 s would kill the worker mid-request.
exec "$here/venv/bin/python" -m gunicorn "$wsgi_app" --chdir "$here/app" \
    --bind "$BIND" --workers "$WORKERS" --worker-class sync \
    --graceful-timeout 2 --timeout 300 --worker-tmp-dir "$tmp" \
    --no-control-socket --log-level warning
