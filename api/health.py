"""Liveness and readiness."""

from __future__ import annotations

import logging

from flask import Blueprint, jsonify

from api.database import db
from api.errors import problem
from api.openapi import operation

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@bp.get("/healthz")
@operation("Liveness: the process answers", roles=None)
def healthz():
    return jsonify(status="ok")


@bp.get("/readyz")
@operation("Readiness: the database answers", roles=None, errors=(503,))
def readyz():
    try:
        db.ping()
    except Exception as exc:  # any driver error means "not ready", never a 500
        log.warning("database not reachable: %s", exc)
        return problem(503, "Service Unavailable", "the database is not reachable")
    return jsonify(status="ready", database="ok")
