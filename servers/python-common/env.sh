# Sourced by the Python servers' serve.sh: validates the contract's
# environment (HOST, PORT, WORKERS) and sets HOST, PORT, WORKERS and BIND.
# Bad input: a line on stderr saying what to fix, exit status 2.
HOST=${HOST:-127.0.0.1}
WORKERS=${WORKERS:-1}
case ${PORT:-} in
    '' ) echo "$SERVER_ID: PORT is not set: run it as PORT=8080 $0 (HOST defaults to 127.0.0.1, WORKERS to 1)" >&2; exit 2 ;;
    *[!0-9]* ) echo "$SERVER_ID: PORT='$PORT' is not a port number: use an integer from 1 to 65535" >&2; exit 2 ;;
esac
if [ "${#PORT}" -gt 5 ] || [ "$PORT" -lt 1 ] || [ "$PORT" -gt 65535 ]; then
    echo "$SERVER_ID: PORT='$PORT' is not a port number: use an integer from 1 to 65535" >&2; exit 2
fi
case $WORKERS in
    '' | *[!0-9]* ) echo "$SERVER_ID: WORKERS='$WORKERS' is not a worker count: use an integer from 1 to 1024" >&2; exit 2 ;;
esac
if [ "${#WORKERS}" -gt 4 ] || [ "$WORKERS" -lt 1 ] || [ "$WORKERS" -gt 1024 ]; then
    echo "$SERVER_ID: WORKERS='$WORKERS' is not a worker count: use an integer from 1 to 1024" >&2; exit 2
fi
case $HOST in
    *:* ) BIND="[$HOST]:$PORT" ;;  # IPv6 literal
    * ) BIND="$HOST:$PORT" ;;
esac
# Neither server may take its worker count from the environment behind our back.
unset WEB_CONCURRENCY
