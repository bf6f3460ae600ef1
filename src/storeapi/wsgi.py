"""The WSGI entry point for servers: `storeapi.wsgi:app`."""

from storeapi.app import create_app

app = create_app()
