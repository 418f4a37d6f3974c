"""Settings for Kompetensi, in one module, driven by environment variables.

The defaults give the embedded set-up: SQLite in the project folder, Celery tasks run
in-process, emails printed on the console. Production sets DEBUG=false, SECRET_KEY,
ALLOWED_HOSTS, DATABASE_URL (PostgreSQL) and REDIS_URL.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(str(BASE_DIR / ".env"))

DEBUG = env.bool("DEBUG", default=True)
_DEV_SECRET = "dev-only-insecure-key-change-me-in-production-0123456789abcdef"
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "csp",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_htmx",
    "regions",
    "training",
    "evaluations",
    "planning",
    "dashboards",
]

MIDDLEWARE = [
    # /healthz and /readyz first: before the HTTPS redirect and the host check (kompetensi/health.py).
    "kompetensi.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "kompetensi.clientip.ClientIpMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: the person's chosen language, else Indonesian (docs/i18n.md).
    "kompetensi.locale.PortalLocaleMiddleware",
    "regions.audit.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "regions.middleware.RegionScopeMiddleware",
    # Inside the region scope: it reads request.access (admin pages need a second factor).
    "regions.mfa.MfaRequiredMiddleware",
]

ROOT_URLCONF = "kompetensi.urls"
WSGI_APPLICATION = "kompetensi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "regions.context_processors.region_context",
                "training.context_processors.training_counts",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Embedded default: wait for a lock instead of failing at once, and take the write lock
    # at BEGIN so two concurrent writers queue up instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A read replica (kompetensi/replica.py): reads that may lag use it explicitly, never silently.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"].get("CONN_MAX_AGE", 0)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["kompetensi.replica.PrimaryReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "regions.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# django-allauth: log in by email or NIP (the username), no open sign-up.
ACCOUNT_ADAPTER = "regions.adapters.AccountAdapter"
ACCOUNT_USER_DISPLAY = "regions.adapters.user_display"
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# Login limits (docs/security.md). Per client address they are sized for an office whose
# hundreds of ASN share one public address (a kantor's NAT): allauth's default caps *all*
# logins at 30 a minute per address. The client address is the one `TRUSTED_PROXY_COUNT`
# decides (kompetensi.clientip). Guessing one account's password is slowed down per account
# and address by regions.login_guard (progressive delay, no lockout of the owner); allauth's
# per-key "login_failed" limit is left out on purpose: it locked any known NIP out for all.
ACCOUNT_RATE_LIMITS = {
    "login": env.str("LOGIN_RATE", default="600/m/ip"),
    "login_failed": env.str("LOGIN_FAILED_RATE", default="120/m/ip"),
    "reset_password": env.str("RESET_PASSWORD_RATE", default="60/m/ip,5/m/key"),
    "reset_password_from_key": "60/m/ip",
    "change_password": "20/m/user",
}
KOMPETENSI_LOGIN_GUARD = {
    # Failures of one account from one address (or one trusted device) before delays start.
    "FREE_FAILURES": env.int("LOGIN_FREE_FAILURES", default=5),
    # First delay, doubled at each further failure, never above MAX_DELAY (seconds).
    "BASE_DELAY": env.int("LOGIN_BASE_DELAY", default=30),
    "MAX_DELAY": env.int("LOGIN_MAX_DELAY", default=15 * 60),
    # Failures of one account from all addresses without the account's device cookie before
    # those addresses are slowed down too (a distributed guess); the owner's device is not.
    "ACCOUNT_FREE_FAILURES": env.int("LOGIN_ACCOUNT_FREE_FAILURES", default=20),
    # How long failures are remembered (seconds).
    "WINDOW": env.int("LOGIN_FAILURE_WINDOW", default=60 * 60),
}
ACCOUNT_FORMS = {
    "login": "regions.forms.LoginForm",
    "reset_password": "regions.forms.ResetPasswordForm",
    "change_password": "regions.forms.ChangePasswordForm",
    "reset_password_from_key": "regions.forms.ResetPasswordKeyForm",
}
# Subjects name the portal, not the host (templates/account/email/).
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# The address of the client, for rate limits, the audit trail and the logs: the
# `TRUSTED_PROXY_COUNT`-th address from the right of X-Forwarded-For (0: the TCP peer).
KOMPETENSI_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = KOMPETENSI_TRUSTED_PROXY_COUNT

# Two-factor authentication (allauth.mfa): TOTP with recovery codes. Which roles must use it
# (docs/security.md): "admin" (BKPSDM admin of a region), "national" (national viewer),
# "superuser"; other role names (e.g. a head of region) can be added by the app that adds them.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="Kompetensi")
MFA_RECOVERY_CODE_COUNT = 10
KOMPETENSI_MFA_REQUIRED_ROLES = env.list(
    "MFA_REQUIRED_ROLES", default=["admin", "national", "superuser"]
)

# Single sign-on through OpenID Connect (allauth's openid_connect provider), configured per
# deployment: OIDC_PROVIDERS is a JSON list of {"id", "name", "server_url", "client_id",
# "secret"} (docs/security.md). Users are matched by NIP or verified email, never created.
SOCIALACCOUNT_ADAPTER = "regions.adapters.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_ONLY = False
KOMPETENSI_OIDC_NIP_CLAIM = env.str("OIDC_NIP_CLAIM", default="nip")
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": item["id"],
                "name": item.get("name", item["id"]),
                "client_id": item["client_id"],
                "secret": item.get("secret", ""),
                "settings": {
                    "server_url": item["server_url"],
                    "token_auth_method": item.get("token_auth_method", "client_secret_post"),
                    "oauth_pkce_enabled": True,
                    "scope": item.get("scope", ["openid", "profile", "email"]),
                },
            }
            for item in env.json("OIDC_PROVIDERS", default=[])
        ],
    }
}

LANGUAGE_CODE = "id"
# Each language named in itself, whatever the page's language (the language menu).
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CACHE_URL = env.str("CACHE_URL", default="")
REDIS_URL = env.str("REDIS_URL", default="")
if CACHE_URL:
    CACHES = {"default": env.cache_url("CACHE_URL")}
    if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        CACHES["default"]["BACKEND"] = "kompetensi.cache.ResilientRedisCache"
elif REDIS_URL:
    # A Redis outage degrades to a per-process local cache (kompetensi/cache.py), never a 500.
    REDIS_TIMEOUT = env.float("REDIS_TIMEOUT", default=0.5)
    CACHES = {
        "default": {
            "BACKEND": "kompetensi.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT,
                "socket_timeout": REDIS_TIMEOUT,
                "RETRY_SECONDS": env.float("REDIS_RETRY_SECONDS", default=5.0),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Dashboards: how long heavy figures stay cached under their data's version (seconds; 0: off).
# A write to the data makes a new version at once; this bounds how long a deletion can go unseen.
KOMPETENSI_DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=600)
# After a write, the previous figures (at most this old) are shown, marked as being recomputed,
# while a background worker recomputes them (dashboards/caching.py).
KOMPETENSI_DASHBOARD_STALE_SECONDS = env.int("DASHBOARD_STALE_SECONDS", default=86400)

# Celery: with no broker configured, tasks run eagerly in-process (embedded default).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Embedded default only: eager tasks run in a thread, not in the request (scripts/dev.sh).
KOMPETENSI_TASKS_IN_THREAD = env.bool("KOMPETENSI_TASKS_IN_THREAD", default=False)
# Attendance of a session can be marked from this many minutes before it starts; unset
# (the default): from the start of the session's day.
KOMPETENSI_ATTENDANCE_OPENS_MINUTES = env.int("ATTENDANCE_OPENS_MINUTES", default=None)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Kompetensi <no-reply@kompetensi.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kompetensi API",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Security: on unless DEBUG; `manage.py check --deploy` passes with DEBUG=false.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp): no inline script or style, nothing from another
# origin. Enforced (the browser journeys fail on any violation); CSP_ENFORCE=false turns it
# back to report-only. Violations are posted to /csp-report/ and logged
# (kompetensi.security_views).
CSP_ENFORCE = env.bool("CSP_ENFORCE", default=True)
_CSP_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        # SSO sends the browser on to the identity providers after the form post.
        "form-action": ["'self'"]
        + sorted(
            {
                app["settings"]["server_url"]
                for app in SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]
            }
        ),
        "report-uri": ["/csp-report/"],
    }
}
if CSP_ENFORCE:
    CONTENT_SECURITY_POLICY = _CSP_POLICY
    CONTENT_SECURITY_POLICY_REPORT_ONLY = None
else:
    CONTENT_SECURITY_POLICY = None
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP_POLICY
# Permissions-Policy (django-permissions-policy): no page needs these browser features.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "interest-cohort",
    )
}

# Logs carry the client address (as TRUSTED_PROXY_COUNT decides it) and never a NIP or an
# email in clear: kompetensi.logging masks them in every record (docs/security.md).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "client_ip": {"()": "kompetensi.logging.ClientIpFilter"},
        "mask_personal_data": {"()": "kompetensi.logging.MaskPersonalDataFilter"},
    },
    "formatters": {
        "default": {
            "()": "kompetensi.logging.MaskingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(client_ip)s] %(message)s",
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["client_ip", "mask_personal_data"],
            "formatter": "default",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Domain settings that are national defaults (shared/DOMAIN.md); regions override per row.
KOMPETENSI_DEFAULT_JP_TARGET = 20

# Operations (each has the same default in the code that reads it; see docs/deployment.md).
KOMPETENSI_BASE_URL = env.str("KOMPETENSI_BASE_URL", default="http://127.0.0.1:8000")
KOMPETENSI_NOTIFICATION_CHANNELS = env.list(
    "KOMPETENSI_NOTIFICATION_CHANNELS", default=["email", "inapp"]
)
KOMPETENSI_APPROVAL_REMINDER_DAYS = env.int("KOMPETENSI_APPROVAL_REMINDER_DAYS", default=3)
KOMPETENSI_WINDOW_CLOSING_DAYS = env.int("KOMPETENSI_WINDOW_CLOSING_DAYS", default=3)
KOMPETENSI_JP_ALERT_FROM_MONTH = env.int("KOMPETENSI_JP_ALERT_FROM_MONTH", default=9)
# Audit trail retention (days; docs/security.md). Five years by default.
KOMPETENSI_AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=5 * 365)
KOMPETENSI_EVIDENCE_MAX_BYTES = env.int("KOMPETENSI_EVIDENCE_MAX_BYTES", default=5 * 1024 * 1024)
# Employee import (regions/imports.py): most rows a file may hold, and the size above which the
# upload page hands the file to the background import (progress bar, per-row error report).
KOMPETENSI_IMPORT_MAX_ROWS = env.int("KOMPETENSI_IMPORT_MAX_ROWS", default=20_000)
KOMPETENSI_IMPORT_SYNC_MAX_BYTES = env.int("KOMPETENSI_IMPORT_SYNC_MAX_BYTES", default=100 * 1024)
# Dashboard people lists (dashboards/people.py): longer exports than this go to a background job
# (progress bar, "file ready" notification) instead of being answered in the request.
KOMPETENSI_EXPORT_INLINE_MAX_ROWS = env.int("KOMPETENSI_EXPORT_INLINE_MAX_ROWS", default=2000)
# Online courses (training.lesson_files): the largest uploads, and a SCORM package's limits
# (its zip and its unpacked size, and its number of files).
KOMPETENSI_VIDEO_MAX_BYTES = env.int("KOMPETENSI_VIDEO_MAX_BYTES", default=300 * 1024 * 1024)
KOMPETENSI_DOCUMENT_MAX_BYTES = env.int("KOMPETENSI_DOCUMENT_MAX_BYTES", default=25 * 1024 * 1024)
KOMPETENSI_SCORM_MAX_BYTES = env.int("KOMPETENSI_SCORM_MAX_BYTES", default=200 * 1024 * 1024)
KOMPETENSI_SCORM_MAX_FILES = env.int("KOMPETENSI_SCORM_MAX_FILES", default=5000)
