"""Problem reports, the hotline (issue 13): an enterprise or a member of the public reports a
problem (refused at a checkpoint, no slot, wrong slot, hub closed, other), the command centre
answers and closes it.

An enterprise's report is tied to that enterprise (and optionally to one of its own loads); it
sees only its own reports, and an answer reaches it as a `report.answered` event (webhook and
inbox), and the command centre hears of every new report as `report.received` (no text, no
contact). A public report needs a contact (a name and a phone number or an e-mail address); its
reporter gets the report number and a lookup token, shown once and stored only as a SHA-256
hash, to read the answer. Every step writes an audit entry in the same transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from hub_scheduler import load_keys
from hub_scheduler.errors import Conflict, FieldError, NotFound, ValidationFailed
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.records import Report, ReportKind, ReportStatus, Role
from hub_scheduler.services import events
from hub_scheduler.services.audit import record
from hub_scheduler.services.principal import Principal
from hub_scheduler.services.site import site_timezone
from hub_scheduler.values import contact_phone

TEXT_MAX = 2000
ANSWER_MAX = 2000
PUBLIC_ACTOR = "public"
# Report numbers: R- and 6 letters or digits without the look-alikes (0/O, 1/I/L): 32**6 numbers.
_NUMBER_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
BAD_PHONE = (
    "is not a phone number; write an 11-digit mobile number (13800138000), a landline with its "
    "area code (0797-2881234) or a 400 number (400-810-8888)"
)
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")


@dataclass(frozen=True)
class Contact:
    """A public reporter: a name and a phone number or an e-mail address (at least one)."""

    name: str = ""
    phone: str | None = None
    email: str | None = None


def now() -> datetime:
    return datetime.now(UTC)


def new_number() -> str:
    return "R-" + "".join(secrets.choice(_NUMBER_ALPHABET) for _ in range(6))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _text_errors(text: str, field: str, limit: int) -> list[FieldError]:
    if not text.strip():
        return [FieldError(field=field, message="must not be empty", code="required")]
    if len(text) > limit:
        return [FieldError(field=field, message=f"at most {limit} characters")]
    return []


def _normal_phone(phone: str | None) -> str | None:
    """A contact phone in its one stored form (`values.contact_phone`); None when empty or not
    a phone number."""
    if not (phone or "").strip():
        return None
    try:
        return contact_phone(phone or "")
    except ValueError:
        return None


def contact_errors(contact: Contact | None) -> list[FieldError]:
    """What is wrong with a public reporter's contact (empty: nothing)."""
    if contact is None:
        return [
            FieldError(
                field="contact",
                message="a report without sign-in needs a contact: a name and a phone or e-mail",
                code="contact_required",
            )
        ]
    errors = []
    if not contact.name.strip():
        errors.append(
            FieldError(field="contact.name", message="must not be empty", code="required")
        )
    if not (contact.phone or contact.email):
        errors.append(
            FieldError(
                field="contact.phone",
                message="give a phone number or an e-mail address",
                code="phone_or_email",
            )
        )
    if contact.phone and _normal_phone(contact.phone) is None:
        errors.append(
            FieldError(
                field="contact.phone",
                message=BAD_PHONE,
                code="bad_phone",
            )
        )
    if contact.email and not _EMAIL.match(contact.email.strip()):
        errors.append(
            FieldError(field="contact.email", message="is not an e-mail address", code="bad_email")
        )
    return errors


def submit(
    uow: UnitOfWork,
    principal: Principal | None,
    *,
    kind: ReportKind | str,
    text: str,
    load_id: str | None = None,
    hub_id: str | None = None,
    contact: Contact | None = None,
) -> tuple[Report, str | None]:
    """Store a new report; returns it and, for a public reporter (`principal` None), the lookup
    token (shown once). ValidationFailed names each bad field (`kind`, `text`, `load_id`,
    `hub_id`, `contact...`); an enterprise's `load_id` must be one of its own loads."""
    errors = _text_errors(text, "text", TEXT_MAX)
    try:
        kind = ReportKind(kind)
    except ValueError:
        names = ", ".join(k.value for k in ReportKind)
        errors.append(FieldError(field="kind", message=f"must be one of {names}", code="bad_kind"))
    if principal is None:
        errors += contact_errors(contact)
        if load_id is not None:
            errors.append(FieldError(field="load_id", message="only an enterprise may name a load"))
    elif principal.role is not Role.ENTERPRISE or principal.enterprise_id is None:
        raise ValidationFailed(
            "only an enterprise token or the public report problems",
            [FieldError(field="Authorization", message="use an enterprise token or none")],
        )
    token = secrets.token_urlsafe(24) if principal is None else None
    with uow:
        if load_id is not None and principal is not None:
            # Ids are per enterprise (load_keys): the report keeps the id with its enterprise.
            load = uow.loads.get(load_keys.qualify(principal.enterprise_id or "", load_id))
            if load is None or load.enterprise_id != principal.enterprise_id:
                errors.append(FieldError(field="load_id", message=f'no load "{load_id}" of yours'))
        if hub_id is not None and uow.hubs.get(hub_id) is None:
            errors.append(FieldError(field="hub_id", message=f'unknown hub "{hub_id}"'))
        if errors:
            raise ValidationFailed("the report is not valid", errors)
        report = uow.reports.add(
            Report(
                number=new_number(),
                kind=ReportKind(kind),
                text=text.strip(),
                enterprise_id=principal.enterprise_id if principal else None,
                load_id=load_id,
                hub_id=hub_id,
                contact_name=(contact.name.strip() or None) if contact else None,
                contact_phone=_normal_phone(contact.phone) if contact else None,
                contact_email=(contact.email or "").strip() or None if contact else None,
                token_hash=token_hash(token) if token else None,
                created_at=now(),
                created_by=principal.actor if principal else PUBLIC_ACTOR,
            )
        )
        assert report.id is not None
        # The audit log keeps who and what, never a public reporter's contact details.
        record(
            uow,
            report.created_by,
            "report.create",
            "report",
            str(report.id),
            {
                "number": report.number,
                "kind": report.kind.value,
                "enterprise_id": report.enterprise_id,
                "load_id": report.load_id,
                "hub_id": report.hub_id,
            },
        )
        # The command centre hears of it at once; never the text nor a reporter's contact (the
        # text is free and may hold a phone number): the receiver opens /admin/reports for those.
        events.emit(
            uow,
            events.REPORT_RECEIVED,
            [events.COMMAND],
            {
                "report_id": report.id,
                "number": report.number,
                "kind": report.kind.value,
                "source": "enterprise" if report.enterprise_id else "public",
                "enterprise_id": report.enterprise_id,
                "load_id": report.load_id,
                "hub_id": report.hub_id,
                "status": report.status.value,
                "created_at": events.local(site_timezone(uow), report.created_at),
            },
            at=report.created_at,
        )
        uow.commit()
    return report, token


def list_reports(
    uow: UnitOfWork,
    principal: Principal,
    *,
    status: ReportStatus | None = None,
    kind: ReportKind | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Report], int]:
    """Reports newest first and how many match: an admin sees all, an enterprise its own."""
    mine = principal.enterprise_id if principal.is_enterprise else None
    if principal.is_enterprise and mine is None:
        return [], 0
    filters = {
        "status": status.value if status else None,
        "kind": kind.value if kind else None,
        "enterprise_id": mine,
    }
    with uow:
        return uow.reports.list(**filters, limit=limit, offset=offset), uow.reports.count(**filters)


def _get(uow: UnitOfWork, principal: Principal, report_id: int) -> Report:
    report = uow.reports.get(report_id)
    # Another enterprise's report (or a public one) is missing to an enterprise, never shown.
    if report is None or (
        principal.is_enterprise and report.enterprise_id != principal.enterprise_id
    ):
        raise NotFound(f"no report {report_id}")
    return report


def get_report(uow: UnitOfWork, principal: Principal, report_id: int) -> Report:
    with uow:
        return _get(uow, principal, report_id)


def _open_report(uow: UnitOfWork, report_id: int, when_closed: str) -> Report:
    """The report, not yet closed: NotFound when there is none, Conflict (`report {number}
    {when_closed}`) when it is closed."""
    report = uow.reports.get(report_id)
    if report is None:
        raise NotFound(f"no report {report_id}")
    if report.status is ReportStatus.CLOSED:
        raise Conflict(
            f"report {report.number} {when_closed}",
            [FieldError(field="status", message="closed", code="report_closed")],
        )
    return report


def answer(uow: UnitOfWork, report_id: int, text: str, *, actor: str) -> Report:
    """The command centre answers (again, if it wants to say more): the report becomes answered,
    the reporting enterprise gets `report.answered`. Conflict once it is closed."""
    errors = _text_errors(text, "answer", ANSWER_MAX)
    if errors:
        raise ValidationFailed("the answer is not valid", errors)
    with uow:
        report = _open_report(uow, report_id, "is closed; it cannot be answered")
        at = now()
        report = uow.reports.update(
            report.model_copy(
                update={
                    "status": ReportStatus.ANSWERED,
                    "answer": text.strip(),
                    "answered_at": at,
                    "answered_by": actor,
                }
            )
        )
        record(uow, actor, "report.answer", "report", str(report_id), {"number": report.number})
        if report.enterprise_id is not None:
            tz = site_timezone(uow)
            events.emit(
                uow,
                events.REPORT_ANSWERED,
                [events.enterprise(report.enterprise_id)],
                {
                    "report_id": report.id,
                    "number": report.number,
                    "kind": report.kind.value,
                    "load_id": report.load_id,
                    "hub_id": report.hub_id,
                    "status": report.status.value,
                    "answer": report.answer,
                    "answered_at": events.local(tz, at),
                },
                at=at,
            )
        uow.commit()
    return report


def close(uow: UnitOfWork, report_id: int, *, actor: str) -> Report:
    """The command centre closes a report (answered or not); Conflict when it already is."""
    with uow:
        report = _open_report(uow, report_id, "is already closed")
        report = uow.reports.update(
            report.model_copy(
                update={"status": ReportStatus.CLOSED, "closed_at": now(), "closed_by": actor}
            )
        )
        record(
            uow,
            actor,
            "report.close",
            "report",
            str(report_id),
            {"number": report.number, "answered": report.answer is not None},
        )
        uow.commit()
    return report


def public_lookup(uow: UnitOfWork, number: str, token: str) -> Report:
    """A public reporter reads their report with its number and lookup token; a wrong token
    reads as a missing report (a number alone never confirms that a report exists)."""
    with uow:
        report = uow.reports.get_by_number(number.strip().upper())
    if (
        report is None
        or report.token_hash is None
        or not hmac.compare_digest(report.token_hash, token_hash(token or ""))
    ):
        raise NotFound(f"no report {number} with this token")
    return report
