"""Typed settings read from the environment once, validated at start-up."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace

DEV_SECRET = "dev-only-insecure-secret-change-me-0123456789"

# What the server (granian over hyper) refuses itself, before the app sees the request, with an
# empty body: a request target over SERVER_MAX_URL bytes (414, fixed in hyper), a request line
# and headers over SERVER_HEAD_BUFFER bytes (431; `storeapi serve` passes it to granian), more
# than 100 header fields (431, fixed). The app's own limits must stay below, so that it answers.
SERVER_MAX_URL = 65534
SERVER_HEAD_BUFFER = 8192 + 4096 * 100  # hyper's default, set explicitly by `storeapi serve`
HEAD_FRAMING = 1024  # request line and per-field separators the app's byte counts leave out
# Pillow's own decompression-bomb threshold (PIL.Image.MAX_IMAGE_PIXELS): ours may only be lower.
PILLOW_MAX_IMAGE_PIXELS = 89_478_485
MIN_METRICS_TOKEN = 16  # a bearer token for /metrics that cannot be guessed


class SettingsError(ValueError):
    """The environment does not describe a runnable configuration."""


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be an integer, got {raw!r}") from None


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _list(name: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in os.environ.get(name, "").split(",") if p.strip())


def _is_postgresql(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://", "postgresql+psycopg://"))


def _tracing_configured() -> bool:
    """Traces are sent when OpenTelemetry's standard variables name an OTLP endpoint, unless
    they also switch the SDK or its trace exporter off; the exporter reads the rest itself."""
    endpoint = os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") or os.environ.get(
        "OTEL_EXPORTER_OTLP_ENDPOINT"
    )
    exporter = os.environ.get("OTEL_TRACES_EXPORTER", "otlp").strip().lower()
    return bool(endpoint) and not _bool("OTEL_SDK_DISABLED", False) and exporter != "none"


@dataclass(frozen=True)
class Settings:
    env: str = "development"
    database_url: str = "sqlite:///storeapi.db"
    # PostgreSQL streaming replicas for reads outside writes (db/replicas.py)
    database_replica_urls: tuple[str, ...] = field(default_factory=tuple)
    replica_max_lag_seconds: int = 5
    redis_url: str | None = None
    jwt_secret_key: str = DEV_SECRET
    access_token_minutes: int = 15
    refresh_token_days: int = 30
    fresh_minutes: int = 15
    max_body_bytes: int = 1024 * 1024
    max_url_bytes: int = 8192
    max_header_bytes: int = 32768
    db_statement_timeout_ms: int = 30000
    rate_limits_enabled: bool = True
    login_rate_limit: str = "10 per minute"
    register_rate_limit: str = "10 per minute"
    refresh_rate_limit: str = "10 per minute"
    default_rate_limit: str = "600 per minute"
    rate_limit_prefix: str = "storeapi"
    rate_limit_file: str | None = None
    trusted_proxies: int = 0
    idempotency_hours: int = 24
    cors_origins: tuple[str, ...] = field(default_factory=tuple)
    log_requests: bool = True
    secure_cookies: bool = False
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    login_max_days: int = 30
    # PostgreSQL: each process caches live logins, kept true by LISTEN/NOTIFY (auth/live_logins.py)
    login_cache_enabled: bool = True
    require_verified_email: bool = False
    mail_rate_limit: str = "5 per 15 minutes"  # per address: requests that send a mail
    password_reset_email_rate_limit: str = "3 per hour"
    # Mail (docs/design.md, "Mail"): without smtp_host the worker writes each mail to its log.
    public_url: str = "http://127.0.0.1:8000"
    mail_from: str = "storeapi <no-reply@localhost>"
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = True
    reset_token_minutes: int = 30
    verify_token_hours: int = 48
    mail_poll_ms: int = 2000
    mail_retry_base_ms: int = 30000
    mail_max_attempts: int = 8
    mail_lease_seconds: int = 120
    # Item pictures (docs/configuration.md, "Media"): where they are kept and what is accepted.
    storage_url: str = "file://./media"
    max_image_bytes: int = 5 * 1024 * 1024
    max_image_pixels: int = 25_000_000
    media_redirect: bool = False
    media_url_seconds: int = 300
    s3_endpoint_url: str | None = None
    s3_region: str | None = None
    # Observability (docs/operations.md): /metrics, and traces to an OTLP endpoint.
    metrics_enabled: bool = False
    metrics_token: str | None = None
    tracing_enabled: bool = False

    @property
    def is_development(self) -> bool:
        return self.env in {"development", "test"}

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        env = os.environ.get("STOREAPI_ENV", "development")
        settings = cls(
            env=env,
            database_url=os.environ.get("DATABASE_URL") or cls.database_url,
            database_replica_urls=_list("DATABASE_REPLICA_URLS"),
            replica_max_lag_seconds=_int("REPLICA_MAX_LAG_SECONDS", 5),
            redis_url=os.environ.get("REDIS_URL") or None,
            jwt_secret_key=os.environ.get("JWT_SECRET_KEY") or "",
            access_token_minutes=_int("JWT_ACCESS_MINUTES", 15),
            refresh_token_days=_int("JWT_REFRESH_DAYS", 30),
            fresh_minutes=_int("JWT_FRESH_MINUTES", 15),
            max_body_bytes=_int("MAX_BODY_BYTES", 1024 * 1024),
            max_url_bytes=_int("MAX_URL_BYTES", cls.max_url_bytes),
            max_header_bytes=_int("MAX_HEADER_BYTES", cls.max_header_bytes),
            db_statement_timeout_ms=_int("DB_STATEMENT_TIMEOUT_MS", 30000),
            rate_limits_enabled=_bool("RATE_LIMITS_ENABLED", True),
            login_rate_limit=os.environ.get("LOGIN_RATE_LIMIT", cls.login_rate_limit),
            register_rate_limit=os.environ.get("REGISTER_RATE_LIMIT", cls.register_rate_limit),
            refresh_rate_limit=os.environ.get("REFRESH_RATE_LIMIT", cls.refresh_rate_limit),
            default_rate_limit=os.environ.get("DEFAULT_RATE_LIMIT", cls.default_rate_limit),
            rate_limit_prefix=os.environ.get("RATE_LIMIT_PREFIX", cls.rate_limit_prefix),
            rate_limit_file=os.environ.get("RATE_LIMIT_FILE") or None,
            trusted_proxies=_int("TRUSTED_PROXIES", 0),
            idempotency_hours=_int("IDEMPOTENCY_HOURS", 24),
            cors_origins=_list("CORS_ORIGINS"),
            log_requests=_bool("LOG_REQUESTS", True),
            secure_cookies=_bool("SECURE_COOKIES", env == "production"),
            argon2_time_cost=_int("ARGON2_TIME_COST", 3),
            argon2_memory_kib=_int("ARGON2_MEMORY_KIB", 65536),
            login_max_days=_int("LOGIN_MAX_DAYS", 30),
            login_cache_enabled=_bool("LOGIN_CACHE_ENABLED", True),
            require_verified_email=_bool("REQUIRE_VERIFIED_EMAIL", False),
            mail_rate_limit=os.environ.get("MAIL_RATE_LIMIT", cls.mail_rate_limit),
            password_reset_email_rate_limit=os.environ.get(
                "PASSWORD_RESET_EMAIL_RATE_LIMIT", cls.password_reset_email_rate_limit
            ),
            public_url=(os.environ.get("PUBLIC_URL") or cls.public_url).rstrip("/"),
            mail_from=os.environ.get("MAIL_FROM") or cls.mail_from,
            smtp_host=os.environ.get("SMTP_HOST") or None,
            smtp_port=_int("SMTP_PORT", 587),
            smtp_username=os.environ.get("SMTP_USERNAME") or None,
            smtp_password=os.environ.get("SMTP_PASSWORD") or None,
            smtp_starttls=_bool("SMTP_STARTTLS", True),
            reset_token_minutes=_int("RESET_TOKEN_MINUTES", 30),
            verify_token_hours=_int("VERIFY_TOKEN_HOURS", 48),
            mail_poll_ms=_int("MAIL_POLL_MS", 2000),
            mail_retry_base_ms=_int("MAIL_RETRY_BASE_MS", 30000),
            mail_max_attempts=_int("MAIL_MAX_ATTEMPTS", 8),
            mail_lease_seconds=_int("MAIL_LEASE_SECONDS", 120),
            storage_url=os.environ.get("STORAGE_URL") or cls.storage_url,
            max_image_bytes=_int("MAX_IMAGE_BYTES", cls.max_image_bytes),
            max_image_pixels=_int("MAX_IMAGE_PIXELS", cls.max_image_pixels),
            media_redirect=_bool("MEDIA_REDIRECT", False),
            media_url_seconds=_int("MEDIA_URL_SECONDS", cls.media_url_seconds),
            s3_endpoint_url=os.environ.get("S3_ENDPOINT_URL") or None,
            s3_region=os.environ.get("S3_REGION") or None,
            metrics_enabled=_bool("METRICS_ENABLED", False),
            metrics_token=os.environ.get("METRICS_TOKEN") or None,
            tracing_enabled=_tracing_configured(),
        )
        return replace(settings, **overrides).validated()

    def validated(self) -> Settings:
        """Refuse configurations that would be unsafe or cannot work."""
        secret = self.jwt_secret_key
        if not secret:
            if not self.is_development:
                raise SettingsError(
                    "JWT_SECRET_KEY is required outside development "
                    "(set it to 32+ random characters, e.g. `openssl rand -hex 32`)"
                )
            secret = DEV_SECRET
        if not self.is_development and (secret == DEV_SECRET or len(secret) < 32):
            raise SettingsError("JWT_SECRET_KEY must be at least 32 characters and not the default")
        for f in fields(self):
            value = getattr(self, f.name)
            lowest = 0 if f.name == "trusted_proxies" else 1
            if isinstance(value, int) and not isinstance(value, bool) and value < lowest:
                raise SettingsError(f"{f.name} must be at least {lowest}, got {value}")
        if self.database_replica_urls and not all(
            _is_postgresql(url) for url in (self.database_url, *self.database_replica_urls)
        ):
            raise SettingsError(
                "DATABASE_REPLICA_URLS needs PostgreSQL: DATABASE_URL and every replica "
                "must be postgresql:// URLs"
            )
        if self.metrics_token is not None and len(self.metrics_token) < MIN_METRICS_TOKEN:
            raise SettingsError(
                f"METRICS_TOKEN must be at least {MIN_METRICS_TOKEN} characters "
                "(e.g. `openssl rand -hex 32`)"
            )
        if self.max_url_bytes >= SERVER_MAX_URL:
            raise SettingsError(f"MAX_URL_BYTES must be below the server's {SERVER_MAX_URL}")
        head_room = SERVER_HEAD_BUFFER - HEAD_FRAMING - self.max_url_bytes
        if self.max_header_bytes > head_room:
            raise SettingsError(
                f"MAX_HEADER_BYTES must be at most {head_room} with MAX_URL_BYTES "
                f"{self.max_url_bytes} (the server reads at most {SERVER_HEAD_BUFFER} bytes)"
            )
        if not self.storage_url.startswith(("file://", "s3://")):
            raise SettingsError("STORAGE_URL must be file://DIRECTORY or s3://BUCKET[/PREFIX]")
        if self.max_image_pixels > PILLOW_MAX_IMAGE_PIXELS:
            raise SettingsError(f"MAX_IMAGE_PIXELS must be at most {PILLOW_MAX_IMAGE_PIXELS}")
        if self.media_redirect and not self.storage_url.startswith("s3://"):
            raise SettingsError("MEDIA_REDIRECT needs an s3:// STORAGE_URL")
        return replace(self, jwt_secret_key=secret)
