"""python-django: Django as a one-file project (settings, models, views, URLs)
on gunicorn sync workers: DEBUG off, no apps or middleware beyond what an API
needs. /io blocks its worker in time.sleep, as a sync database driver would.
The database paths use the ORM on psycopg 3 with a persistent connection per
worker and render /fortunes with Django's template engine.
See servers/CONTRACT.md; started by serve.sh."""

import os
import secrets
import time
import urllib.parse

from django.conf import settings

import sacontract


def _databases():
    """DATABASE_URL as Django's DATABASES, {} without one. A persistent
    connection per worker (CONN_MAX_AGE=None keeps it for the worker's life;
    Django's own pool is an opt-in we leave off), checked before reuse by
    CONN_HEALTH_CHECKS so that a restarted database costs one failed check,
    not a failed request."""
    url = sacontract.database_url()
    if url is None:
        return {}
    parts = urllib.parse.urlsplit(url)
    options = dict(urllib.parse.parse_qsl(parts.query))
    return {"default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": urllib.parse.unquote(parts.path.lstrip("/")),
        "USER": urllib.parse.unquote(parts.username or ""),
        "PASSWORD": urllib.parse.unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "OPTIONS": options,
        "CONN_MAX_AGE": None,
        "CONN_HEALTH_CHECKS": True,
    }}


settings.configure(
    DEBUG=False,
    # Nothing is signed (no sessions, no CSRF forms), so a per-process key will do.
    SECRET_KEY=secrets.token_urlsafe(50),
    ALLOWED_HOSTS=["127.0.0.1", "localhost", "[::1]", os.environ.get("HOST", "127.0.0.1")],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[],
    MIDDLEWARE=[],
    DATABASES=_databases(),
    TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates",
                "DIRS": [sacontract.TEMPLATES_DIR]}],
    USE_TZ=True,
)

import django  # noqa: E402  (settings first)

django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import DatabaseError, models  # noqa: E402
from django.http import HttpResponse, JsonResponse  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.http import require_GET  # noqa: E402


# The TechEmpower tables, read only: Django neither creates nor migrates them.
class World(models.Model):
    randomnumber = models.IntegerField()

    class Meta:
        app_label = "hello"
        db_table = "world"
        managed = False


class Fortune(models.Model):
    message = models.CharField(max_length=2048)

    class Meta:
        app_label = "hello"
        db_table = "fortune"
        managed = False

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


def _unavailable(message):
    return _json({"error": message}, 503)


def _no_database():
    # Not settings.DATABASES: Django fills an empty one with a dummy "default".
    return sacontract.database_url() is None


@require_GET
def db(request):
    if _no_database():
        return _unavailable(sacontract.NO_DATABASE)
    try:
        world = World.objects.get(id=sacontract.random_id())
    except DatabaseError as error:
        return _unavailable(sacontract.database_error(error))
    return _json(sacontract.world((world.id, world.randomnumber)))


@require_GET
def queries(request):
    try:
        n = sacontract.parse_queries(_first(request, "n"))
    except sacontract.BadParameter as error:
        return _json({"error": str(error)}, 400)
    if _no_database():
        return _unavailable(sacontract.NO_DATABASE)
    try:
        # One query after another on the worker's connection, as in every server.
        worlds = [World.objects.get(id=sacontract.random_id()) for _ in range(n)]
    except DatabaseError as error:
        return _unavailable(sacontract.database_error(error))
    # JsonResponse refuses a list unless told it is safe (it is: no JSON
    # hijacking in today's browsers, and the contract asks for an array).
    return JsonResponse([sacontract.world((w.id, w.randomnumber)) for w in worlds], safe=False,
                        json_dumps_params=_COMPACT)


@require_GET
def fortunes(request):
    if _no_database():
        return _unavailable(sacontract.NO_DATABASE)
    try:
        rows = [(f.id, f.message) for f in Fortune.objects.all()]
    except DatabaseError as error:
        return _unavailable(sacontract.database_error(error))
    return render(request, sacontract.FORTUNES_TEMPLATE, {"fortunes": sacontract.with_extra_fortune(rows)})


@require_GET
def info(request):
    return _json(sacontract.info("python-django", "psycopg", "psycopg", "persistent connection (CONN_MAX_AGE)", 1,
                                 "Django: one persistent connection per worker (CONN_MAX_AGE=None, CONN_HEALTH_CHECKS)"))


urlpatterns = [
    path("healthz", healthz),
    path("json", json_view),
    path("plaintext", plaintext),
    path("io", io),
    path("cpu", cpu),
    path("db", db),
    path("queries", queries),
    path("fortunes", fortunes),
    path("info", info),
]

application = get_wsgi_application()
