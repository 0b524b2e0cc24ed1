"""Request and response bodies, one module per resource. Where the API speaks a scenario@1 shape
(a hub, an enterprise, a load, an assignment) it reuses the domain model; the rest are small models
defined here. Import each body from its module (`from api.schemas.loads import LoadIn`).
"""
