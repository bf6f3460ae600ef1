# syntax=docker/dockerfile:1
# storeapi: a two-stage build. The first stage installs the package into a virtualenv from
# the lock file requirements/app.txt; the final image is python:slim with that virtualenv only
# (no compiler, no pip), run as a non-root user. The image runs the same commands as a developer does without Docker:
#   storeapi db upgrade    (the compose file's one-shot `migrate` service)
#   storeapi serve         (the default command: granian, WEB_CONCURRENCY workers)

ARG PYTHON_VERSION=3.11

FROM python:${PYTHON_VERSION}-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
WORKDIR /build
# The locked dependencies first (exact versions, hashes checked), in a layer of their own that
# a code change does not rebuild; then the package itself, which brings nothing new.
COPY requirements/app.txt ./requirements/app.txt
RUN /opt/venv/bin/pip install --require-hashes --no-deps -r requirements/app.txt
COPY pyproject.toml ./
COPY src ./src
RUN /opt/venv/bin/pip install --no-deps . \
 && /opt/venv/bin/pip check \
 && /opt/venv/bin/pip uninstall -y pip \
 && /opt/venv/bin/python -m compileall -q /opt/venv/lib

FROM python:${PYTHON_VERSION}-slim AS runtime
LABEL org.opencontainers.image.title="storeapi" \
      org.opencontainers.image.description="Stores, items, tags, books and frameworks REST API"
# No package manager tools in the final image beyond the base; pip is not needed to run.
# Item pictures go to /var/lib/storeapi/media (STORAGE_URL below): a volume there starts out
# owned by the user that writes to it.
RUN python -m pip uninstall -y pip setuptools wheel \
 && groupadd --system --gid 10001 storeapi \
 && useradd --system --uid 10001 --gid storeapi --no-create-home \
      --home-dir /nonexistent --shell /usr/sbin/nologin storeapi \
 && install -d -o 10001 -g 10001 -m 0750 /var/lib/storeapi/media
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    STOREAPI_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000 \
    STORAGE_URL=file:///var/lib/storeapi/media
WORKDIR /tmp
USER 10001:10001
EXPOSE 8000
# /healthz answers while the process is alive; urllib because slim has no curl.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PORT', '8000') + '/healthz', timeout=2)"]
# granian lets in-flight requests finish on SIGTERM (up to GRACEFUL_TIMEOUT, 30 s), exits 0.
STOPSIGNAL SIGTERM
CMD ["storeapi", "serve"]
