"""The `storeapi` console command: serve, db upgrade, create-admin, seed-demo."""

from __future__ import annotations

import os
import sys

import click
from sqlalchemy import update

from storeapi.settings import Settings, SettingsError


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None


@click.group()
def main() -> None:
    """storeapi: run and administer the API."""


@main.command()
@click.option("--host", default=lambda: os.environ.get("HOST", "127.0.0.1"), show_default=True)
@click.option("--port", type=int, default=lambda: int(os.environ.get("PORT", "8000")))
@click.option(
    "--workers",
    type=int,
    default=lambda: int(os.environ.get("WEB_CONCURRENCY", "0")),
    help="Worker processes (default: one per core)",
)
def serve(host: str, port: int, workers: int) -> None:
    """Serve the API with a production WSGI server (granian)."""
    from granian import Granian
    from granian.constants import Interfaces

    from storeapi.db import make_engine
    from storeapi.migrate import pending

    settings = _settings()
    engine = make_engine(settings.database_url)
    try:
        current, head = pending(engine)
    finally:
        engine.dispose()
    if current != head:
        raise click.ClickException(
            f"the database is at migration {current or 'none'}, the code needs {head}: "
            "run `storeapi db upgrade` first"
        )
    workers = workers or os.cpu_count() or 1
    click.echo(f"storeapi: serving on http://{host}:{port} with {workers} worker(s)", err=True)
    Granian(
        "storeapi.wsgi:app",
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        log_access=False,
        workers_kill_timeout=30,
    ).serve()


@main.group()
def db() -> None:
    """Database schema commands."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION."""
    from storeapi.migrate import upgrade

    settings = _settings()
    upgrade(settings.database_url, revision)
    click.echo(f"storeapi: database upgraded to {revision}", err=True)


@main.command("create-admin")
@click.option("--email", prompt=True)
@click.password_option(envvar="ADMIN_PASSWORD")
def create_admin(email: str, password: str) -> None:
    """Create an administrator (or make an existing user one)."""
    from pydantic import ValidationError

    from storeapi.app import create_app
    from storeapi.db import session
    from storeapi.models import User
    from storeapi.resources.users import Registration, create_user, find_user_id_by_email

    try:
        Registration(email=email, password=password)
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
def seed_demo(stores: int, items: int, password: str | None) -> None:
    """Fill the database with demo data; running it again adds only what is missing."""
    from storeapi import demo
    from storeapi.auth import passwords
    from storeapi.db import make_engine

    settings = _settings()
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
            )
    except demo.NotMigrated as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        engine.dispose()
    click.echo(
        f"Added {result.stores} stores, {result.items} items, {result.tags} tags, "
        f"{result.links} item tags, {result.books} books, {result.frameworks} frameworks."
    )
    for name in result.skipped_stores:
        click.echo(f"Skipped the store {name!r}: another user owns it.")
    if result.password is not None:
        click.echo(f"Demo user: {demo.DEMO_EMAIL}  password: {result.password}")
    else:
        click.echo(f"Demo user: {demo.DEMO_EMAIL} (already existed; its password is unchanged)")


if __name__ == "__main__":
    sys.exit(main())
