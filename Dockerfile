# Kompetensi: one image for web (gunicorn), worker and beat (celery). See docs/deployment.md.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=kompetensi.settings \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/media

# WeasyPrint (certificates, reports) needs Pango and at least one font; gettext compiles the
# translations. Nothing needs a compiler: every dependency ships a wheel.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system app \
    && useradd --system --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first (pinned by constraints.txt), so code changes do not reinstall them.
# pyproject.toml declares no packages: `pip install .` installs the dependencies only.
COPY pyproject.toml constraints.txt README.md ./
RUN pip install -c constraints.txt .

COPY . .

# Translations and static files are baked into the image. collectstatic runs with the
# production storage (hashed names + manifest, served by WhiteNoise), which needs DEBUG=false
# and so a SECRET_KEY: a dummy one here, never used at run time.
RUN python manage.py compilemessages -v0 \
    && DEBUG=false SECRET_KEY=docker-build-only-not-a-secret-0123456789abcdefghijkl \
       ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput -v0 \
    && mkdir -p /app/media \
    && chown -R app:app /app/media /app/staticfiles

USER app
EXPOSE 8000

CMD ["gunicorn", "kompetensi.wsgi:application", "--bind", "0.0.0.0:8000", \
     "--access-logfile", "-", "--worker-tmp-dir", "/dev/shm", "--timeout", "60"]
