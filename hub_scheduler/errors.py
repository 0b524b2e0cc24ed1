"""One exception root for the service; each subclass also subclasses the stdlib type it means."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """One problem at one place of the input: a JSON path (`loads[17].temperature`) or a cell."""

    message: str
    field: str | None = None
    row: int | None = None
    column: str | None = None
    # A sheet cell as a spreadsheet names it ("C5"); a message code and its parameters, so that a
    # page can say it in its own language (the English `message` is the code's text, filled in).
    cell: str | None = None
    code: str | None = None
    params: dict | None = dataclasses.field(default=None, hash=False, compare=False)

    def __str__(self) -> str:
        if self.row is not None:
            where = f"row {self.row}" + (f", column {self.column}" if self.column else "")
            where += f" ({self.cell})" if self.cell else ""
            return f"{where}: {self.message}"
        return f"{self.field}: {self.message}" if self.field else self.message

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None and v != {}}


class HubSchedulerError(Exception):
    """The root of every error this service raises on purpose."""

    status = 500
    title = "Internal error"

    def __init__(self, detail: str = "", errors: list[FieldError] | None = None):
        super().__init__(detail)
        self.detail = detail
        self.errors = list(errors or [])

    def __str__(self) -> str:
        if not self.errors:
            return self.detail
        return self.detail + "\n" + "\n".join(f"  {e}" for e in self.errors)


class ValidationFailed(HubSchedulerError, ValueError):
    """The input is malformed or inconsistent; `errors` names every place at once."""

    status = 422
    title = "Validation failed"


class NotFound(HubSchedulerError, LookupError):
    status = 404
    title = "Not found"


class Conflict(HubSchedulerError, ValueError):
    """The request is well formed but clashes with the current state (a forbidden status change)."""

    status = 409
    title = "Conflict"


class Forbidden(HubSchedulerError, PermissionError):
    status = 403
    title = "Forbidden"


class Unauthorized(HubSchedulerError, PermissionError):
    status = 401
    title = "Unauthorized"
