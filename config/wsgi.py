"""WSGI entry point (gunicorn config.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 -- import every view now, not on the first request
# What is loaded by now lives as long as the process: keep it out of the garbage collector's
# full passes, which otherwise walk all of it every few requests that build a long layer's
# items (a pause of about 100 ms each with 170,000 objects: most of the save's p95 in
# bench/load.py). Objects made by requests are collected as before.
gc.freeze()
