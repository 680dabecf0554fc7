#!/bin/sh
# Starts python-django as servers/CONTRACT.md says: gunicorn with sync workers (the
# launcher shared with the other gunicorn server, python-common/gunicorn.sh).
# servers/build.sh copies this next to the venv; run it from there.
here=$(cd "$(dirname "$0")" && pwd)
exec sh "$here/app/gunicorn.sh" python-django app:application
