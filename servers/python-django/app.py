"""python-django: Django as a one-file project (settings, views, URLs) on
gunicorn sync workers: DEBUG off, no apps or middleware beyond what an API
needs, no database. /io blocks its worker in time.sleep, as a sync database
driver would. See servers/CONTRACT.md; started by serve.sh."""

import os
import secrets
import time

from django.conf import settings

settings.configure(
    DEBUG=False,
    # Nothing is signed (no sessions, no CSRF forms), so a per-process key will do.
    SECRET_KEY=secrets.token_urlsafe(50),
    ALLOWED_HOSTS=["127.0.0.1", "localhost", "[::1]", os.environ.get("HOST", "127.0.0.1")],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[],
    MIDDLEWARE=[],
    DATABASES={},
    USE_TZ=True,
)

import django  # noqa: E402  (settings first)
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpResponse, JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.http import require_GET  # noqa: E402

import sacontract  # noqa: E402

# Compact separators: the contract's bodies are byte-exact.
_COMPACT = {"separators": (",", ":")}


def _json(obj, status=200):
    return JsonResponse(obj, status=status, json_dumps_params=_COMPACT)


@require_GET
def healthz(request):
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@require_GET
def json_view(request):
    return _json({"message": "Hello, World!"})


@require_GET
def plaintext(request):
    return HttpResponse(sacontract.PLAINTEXT, content_type="text/plain; charset=utf-8")


def _first(request, name):
    # The first value counts when a parameter is repeated (QueryDict.get()
    # would return the last).
    values = request.GET.getlist(name)
    return values[0] if values else None


@require_GET
def io(request):
    try:
        ms = sacontract.parse_io_ms(_first(request, "ms"))
    except sacontract.BadParameter as error:
        return _json({"error": str(error)}, 400)
    time.sleep(ms / 1000)
    return _json({"waited_ms": ms})


@require_GET
def cpu(request):
    try:
        n = sacontract.parse_cpu_n(_first(request, "n"))
    except sacontract.BadParameter as error:
        return _json({"error": str(error)}, 400)
    return _json({"n": n, "primes": sacontract.count_primes(n)})


urlpatterns = [
    path("healthz", healthz),
    path("json", json_view),
    path("plaintext", plaintext),
    path("io", io),
    path("cpu", cpu),
]

django.setup()
application = get_wsgi_application()
