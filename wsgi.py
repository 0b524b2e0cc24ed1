"""The WSGI entry point for gunicorn: `gunicorn wsgi:app` (or `hub-scheduler serve`)."""

from api import create_app

app = create_app()
