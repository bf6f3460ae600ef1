"""The `storeapi` console command: serve, worker, db upgrade, create-admin, seed-demo,
openapi, media gc."""

from __future__ import annotations

import os
import signal
import sys

import click

from storeapi.serving import (
    APP_TARGET,
    build_server,
    check_migrations,
    check_migrations_in_subprocess,
    shared_rate_limit_file,
)
from storeapi.settings import Settings, SettingsError
from storeapi.telemetry.store import shared_metrics_directory

TRUE = {"1", "true", "yes", "on"}


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None


@click.group()
def main() -> None:
    """storeapi: run and administer the API."""


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    try:
        return int(raw) if raw else default
    except ValueError:
        raise click.BadParameter(f"{name} must be an integer, got {raw!r}") from None


@main.command()
@click.option("--host", default=lambda: os.environ.get("HOST", "127.0.0.1"), show_default="HOST")
@click.option("--port", type=int, default=lambda: _env_int("PORT", 8000), show_default="PORT")
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=lambda: _env_int("WEB_CONCURRENCY", 0),
    help="Worker processes [WEB_CONCURRENCY; default: one per core]",
)
@click.option(
    "--threads",
    type=click.IntRange(min=1),
    default=lambda: _env_int("THREADS", 2),
    help="Request threads per worker [THREADS; default: 2, the fastest in bench/README.md]",
)
@click.option(
    "--access-log",
    type=click.Choice(["json", "off"]),
    default=lambda: "json" if os.environ.get("LOG_REQUESTS", "true").lower() in TRUE else "off",
    help="One JSON line per request on stderr, or none [LOG_REQUESTS; default: json]",
)
@click.option(
    "--graceful-timeout",
    type=click.IntRange(min=1),
    default=lambda: _env_int("GRACEFUL_TIMEOUT", 30),
    help="Seconds in-flight requests may take after SIGTERM [GRACEFUL_TIMEOUT; default: 30]",
)
@click.option("--app", "target", default=APP_TARGET, hidden=True, help="WSGI module:attribute")
def serve(
    host: str,
    port: int,
    workers: int,
    threads: int,
    access_log: str,
    graceful_timeout: int,
    target: str,
) -> None:
    """Serve the API with a production WSGI server (granian)."""
    # Stopped before the server is up (nothing in flight yet): a clean exit, not a kill.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    os.environ["LOG_REQUESTS"] = "true" if access_log == "json" else "false"
    settings = _settings()  # a configuration error is reported here, before the check's process
    check_migrations_in_subprocess()
    workers = workers or os.cpu_count() or 1
    click.echo(
        f"storeapi: serving on http://{host}:{port} with {workers} worker(s) "
        f"x {threads} thread(s), access log {access_log}",
        err=True,
    )
    with shared_rate_limit_file(settings), shared_metrics_directory(settings.metrics_enabled):
        build_server(
            target,
            host=host,
            port=port,
            workers=workers,
            threads=threads,
            graceful_timeout=graceful_timeout,
        ).serve()


@main.command()
@click.option("--once", is_flag=True, help="Send what is due now, then exit")
def worker(once: bool) -> None:
    """Deliver queued mail (SMTP_HOST; without it, each mail is written to this log)."""
    import logging

    from storeapi.mail.worker import Worker

    settings = _settings()
    check_migrations(settings.database_url)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    mail_worker = Worker(settings)
    signal.signal(signal.SIGTERM, lambda *_: mail_worker.stopping.set())
    target = settings.smtp_host and f"{settings.smtp_host}:{settings.smtp_port}"
    click.echo(f"storeapi: mail worker started, sending to {target or 'the log'}", err=True)
    try:
        if once:
            while mail_worker.drain_once():
                pass
        else:
            mail_worker.run()
    except KeyboardInterrupt:
        pass
    finally:
        mail_worker.engine.dispose()
    click.echo("storeapi: mail worker stopped", err=True)


@main.group()
def db() -> None:
    """Database schema commands."""


@db.command("check", hidden=True)
def db_check() -> None:
    """Exit 1, saying why, unless the database answers and is at the code's migration head."""
    check_migrations(_settings().database_url)


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION."""
    from storeapi.migrate import upgrade

    settings = _settings()
    upgrade(settings.database_url, revision)
    click.echo(f"storeapi: database upgraded to {revision}", err=True)


@main.group()
def media() -> None:
    """Item pictures in media storage (STORAGE_URL)."""


@media.command("gc")
@click.option(
    "--grace-minutes",
    type=click.IntRange(min=0),
    default=15,
    show_default=True,
    help="Keep files of no picture that are younger than this (an upload may be under way)",
)
def media_gc(grace_minutes: int) -> None:
    """Delete what a crash left in media storage: unused pictures and files of none."""
    import datetime as dt

    from storeapi.db import make_engine
    from storeapi.media.library import gc
    from storeapi.media.storage import StorageUnavailable, open_storage

    settings = _settings()
    check_migrations(settings.database_url)
    engine = make_engine(settings.database_url)
    storage = open_storage(settings)
    try:
        report = gc(engine, storage, dt.timedelta(minutes=grace_minutes))
    except StorageUnavailable as exc:
        raise click.ClickException(f"the media storage is unavailable: {exc}") from None
    finally:
        engine.dispose()
    click.echo(
        f"storeapi: deleted {report.rows} unused picture(s) and {report.stray_files} "
        f"stray file(s) from {storage!r}"
    )


@main.command("create-admin")
@click.option("--email", prompt=True)
@click.password_option(envvar="ADMIN_PASSWORD")
def create_admin(email: str, password: str) -> None:
    """Create an administrator (or make an existing user one)."""
    from pydantic import ValidationError
    from sqlalchemy import update

    from storeapi.app import create_app
    from storeapi.db import session
    from storeapi.models import User
    from storeapi.resources.users import Registration, create_user, find_user_id_by_email

    try:
        email = Registration(email=email, password=password).email  # trimmed, as the API does
    except ValidationError as exc:
        raise click.ClickException("; ".join(e["msg"] for e in exc.errors())) from None
    app = create_app(_settings())
    with app.app_context():
        user_id = find_user_id_by_email(email)
        if user_id is None:
            user_id = create_user(email, password, is_admin=True)
        else:
            session().execute(update(User).where(User.id == user_id).values(is_admin=True))
        session().commit()
    click.echo(f"storeapi: {email} (id {user_id}) is an administrator")


@main.command("seed-demo")
@click.option("--stores", type=click.IntRange(min=0), default=8, show_default=True)
@click.option(
    "--items", type=click.IntRange(min=0), default=25, show_default=True, help="Items per store"
)
@click.option(
    "--password",
    envvar="DEMO_PASSWORD",
    help="The demo user's password when it is created [DEMO_PASSWORD; default: random]",
)
@click.option(
    "--pictures/--no-pictures",
    default=True,
    show_default=True,
    help="Give items pictures drawn from their names (kept in STORAGE_URL)",
)
def seed_demo(stores: int, items: int, password: str | None, pictures: bool) -> None:
    """Fill the database with demo data; running it again adds only what is missing."""
    from storeapi import demo
    from storeapi.auth import passwords
    from storeapi.db import make_engine
    from storeapi.media.storage import StorageUnavailable

    settings = _settings()
    drawn = None
    if pictures:
        from storeapi.media.demo import DemoPictures
        from storeapi.media.storage import open_storage

        drawn = DemoPictures(open_storage(settings), settings.max_image_pixels)
    passwords.configure(settings.argon2_time_cost, settings.argon2_memory_kib)
    engine = make_engine(settings.database_url)
    try:
        demo.check_migrated(engine)
        with click.progressbar(length=stores, label="Seeding demo stores", file=sys.stderr) as bar:
            result = demo.seed(
                engine,
                stores=stores,
                items=items,
                password=password,
                on_store=lambda: bar.update(1),
                pictures=drawn,
            )
        now = demo.totals(engine)
    except demo.NotMigrated as exc:
        raise click.ClickException(str(exc)) from None
    except StorageUnavailable as exc:
        raise click.ClickException(f"the media storage is unavailable: {exc}") from None
    finally:
        engine.dispose()
    click.echo(
        f"Added {result.stores} stores, {result.items} items, {result.tags} tags, "
        f"{result.links} item tags, {result.books} books, {result.frameworks} frameworks, "
        f"{result.pictures} item pictures."
    )
    click.echo("The database now has " + ", ".join(f"{n} {name}" for name, n in now.items()) + ".")
    for name in result.skipped_stores:
        click.echo(f"Skipped the store {name!r}: another user owns it.")
    if result.password is not None:
        click.echo(f"Demo user: {demo.DEMO_EMAIL}  password: {result.password}")
    else:
        click.echo(f"Demo user: {demo.DEMO_EMAIL} (already existed; its password is unchanged)")


@main.command("openapi")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    help="Write the document to this file (docs/openapi.json) instead of printing it",
)
@click.option("--check", is_flag=True, help="Exit 1 when the --output file differs from it")
def openapi(output: str | None, check: bool) -> None:
    """Print the OpenAPI document, or write it to a file, or check that file (`make openapi`)."""
    from storeapi import contract

    if output is None:
        if check:
            raise click.UsageError("--check needs --output FILE")
        click.echo(contract.openapi_text(), nl=False)
    elif check:
        if not contract.is_current(output):
            raise click.ClickException(
                f"{output} differs from the API's OpenAPI document: run `make openapi`, "
                "review the diff and commit it"
            )
        click.echo(f"storeapi: {output} is up to date", err=True)
    else:
        contract.write(output)
        click.echo(f"storeapi: wrote {output}", err=True)


if __name__ == "__main__":
    sys.exit(main())
