"""The service's settings: every environment variable in one table, read once by `create_app`.

Each field is named after its environment variable, with its type, its default and what it means;
README's configuration table is rendered from this class (`configuration_table()`) and a test keeps
the two equal. A mapping given to `create_app` overrides the environment (that is how tests
configure the app); keys it has beyond these fields go to Flask's config untouched.
"""

from __future__ import annotations

from typing import Any, Literal

from flask import Flask, current_app
from pydantic import AwareDatetime, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from hub_scheduler.domain import DEFAULT_TIMEZONE
from hub_scheduler.services.jobs import JobConfig
from hub_scheduler.services.webhooks import DeliveryPolicy

EXTENSION = "hub_scheduler_settings"


def _field(default: Any, shown: str, meaning: str, **constraints: Any) -> Any:
    """A setting: `shown` is the default as README states it, `meaning` its explanation."""
    return Field(
        default=default, description=meaning, json_schema_extra={"shown": shown}, **constraints
    )


class AppSettings(BaseSettings):
    """Settings from the environment (empty values count as unset); wrong values fail at start."""

    model_config = SettingsConfigDict(
        case_sensitive=True, env_ignore_empty=True, extra="ignore", frozen=True
    )

    DATABASE_URL: str | None = _field(
        None,
        "`sqlite:///<instance>/hub_scheduler.sqlite3`",
        "any SQLAlchemy URL; `postgresql://…` uses psycopg 3",
    )
    HUB_SCHEDULER_INSTANCE: str | None = _field(
        None,
        "the per-user data folder (`~/.local/share/hub-scheduler`)",
        "folder for the SQLite file and the generated session key; absolute, the same for the "
        "server and every command whatever the working folder (`models/instance.py`)",
    )
    SECRET_KEY: str = _field(
        "dev",
        "a random key kept in the instance folder (`secret_key`)",
        "signs the web session cookie; shared by every gunicorn worker",
    )
    HUB_SCHEDULER_COOKIE_SECURE: bool = _field(
        True,
        "`1`",
        "the session cookie is `Secure`; browsers accept that on `http://127.0.0.1` but on a "
        "plain-HTTP LAN address set `0` (or put TLS in front)",
    )
    HUB_SCHEDULER_TIMEZONE: str | None = _field(
        None,
        f"the seeded scenario's (`{DEFAULT_TIMEZONE}`)",
        "time zone the API and the pages show times in",
    )
    HUB_SCHEDULER_PLAN_TIME_LIMIT_S: float = _field(
        JobConfig.time_limit_s,
        "`10`",
        "default solver time limit of a plan job, re-plans included (a request may set its own)",
        gt=0,
    )
    HUB_SCHEDULER_JOB_WORKERS: int = _field(
        1, "`1`", "plan jobs run at once in each gunicorn worker", ge=1
    )
    HUB_SCHEDULER_JOB_RUNNER: Literal["auto", "rq", "database", "thread", "inline"] = _field(
        "auto",
        "`auto`",
        "where plan jobs run: `rq` (queue workers, `hub-scheduler worker`), `database` (a worker "
        "process claims jobs from the database; `hub-scheduler serve` sets this), `thread` "
        "(in-process pool), `inline` (in the request; tests); `auto`: `rq` when `REDIS_URL` is "
        "set, else `thread` (docs/queue.md)",
    )
    HUB_SCHEDULER_QUEUE: str = _field(
        "hub-scheduler", "`hub-scheduler`", "the RQ queue name plan jobs (and `enqueue`) use"
    )
    HUB_SCHEDULER_JOB_STALE_S: float = _field(
        20.0,
        "`20`",
        "a worker's job with no heartbeat for this long is handed back once, then failed",
        gt=0,
    )
    HUB_SCHEDULER_JOB_GRACE_S: float = _field(
        JobConfig.grace_s,
        "`120`",
        "a `running` job silent for its time limit plus this long is marked `failed`",
        ge=0,
    )
    HUB_SCHEDULER_PLAN_NOW: AwareDatetime | None = _field(
        None,
        "unset (the clock)",
        "a fixed moment every plan job plans from (ISO-8601 with offset), and the pages', the "
        "gate's and the incidents' now (a gate time up to this moment, or the real clock if "
        "later, is taken): for training and demo days and tests; in service leave it unset",
    )
    HUB_SCHEDULER_MAX_BODY_MB: float = _field(
        16.0, "`16`", "largest request body (413 beyond)", gt=0
    )
    REDIS_URL: str | None = _field(
        None,
        "unset (in-process)",
        "Redis for rate-limit counters (and plan-job queues); `/readyz` fails while it is down",
    )
    HUB_SCHEDULER_AUTH_FAILURE_LIMIT: str = _field(
        "10 per minute",
        "`10 per minute`",
        "failed sign-ins and bad tokens per client address before 429 (`limits` notation)",
    )
    HUB_SCHEDULER_IMPORT_LIMIT: str = _field(
        "20 per minute", "`20 per minute`", "sheet imports and batches per token before 429"
    )
    HUB_SCHEDULER_PLAN_LIMIT: str = _field(
        "6 per minute", "`6 per minute`", "plan and re-plan requests per token before 429"
    )
    HUB_SCHEDULER_PROXY_FIX: int = _field(
        0,
        "`0`",
        "number of trusted reverse proxies in front (werkzeug `ProxyFix`); `1` behind nginx",
        ge=0,
        le=5,
    )
    HUB_SCHEDULER_METRICS_TOKEN: str | None = _field(
        None,
        "unset (loopback clients only)",
        "bearer token `/metrics` asks for (`Authorization: Bearer <token>`, the Prometheus scrape "
        "job's `authorization`); unset, only clients on 127.0.0.1 / ::1 are answered (403 else)",
    )
    HUB_SCHEDULER_LOG_FORMAT: Literal["text", "json"] = _field(
        "text", "`text`", "`json` for one JSON object per log line"
    )
    HUB_SCHEDULER_LOG_LEVEL: str = _field("INFO", "`INFO`", "the lowest level logged")
    HUB_SCHEDULER_ACCESS_LOG: bool = _field(
        True,
        "`1`",
        "one log line per request (method, path, status, ms); `0` in production behind nginx, "
        "whose access log has them",
    )
    HUB_SCHEDULER_WEBHOOK_RETRY_BASE_S: float = _field(
        30.0,
        "`30`",
        "first retry of a failed webhook delivery after this many seconds, doubled each retry",
        ge=0,
    )
    HUB_SCHEDULER_WEBHOOK_MAX_ATTEMPTS: int = _field(
        8, "`8`", "attempts of one webhook delivery before it is given up", ge=1, le=50
    )
    HUB_SCHEDULER_WEBHOOK_DISABLE_AFTER: int = _field(
        20,
        "`20`",
        "consecutive failed attempts after which a subscription is disabled (re-enable by hand)",
        ge=1,
    )
    HUB_SCHEDULER_WEBHOOK_TIMEOUT_S: float = _field(
        5.0, "`5`", "how long one webhook request may take (connect and answer)", gt=0
    )
    HUB_SCHEDULER_WEBHOOK_ALLOW_PRIVATE: bool = _field(
        False,
        "`0`",
        "`1` lets webhooks go to loopback and private addresses (tests, a closed network)",
    )
    HUB_SCHEDULER_WEBHOOK_ALLOWED_HOSTS: str = _field(
        "",
        "empty (no http(s) receiver)",
        "comma-separated hosts webhooks may be delivered to: `hooks.example.gov.cn`, "
        "`.example.gov.cn` for a domain and its subdomains, `*` for any",
    )
    HUB_SCHEDULER_PUBLIC_CACHE_S: float = _field(
        5.0,
        "`5`",
        "how long the public hub page and `/api/v1/public/hubs` reuse what they read (per worker)",
        ge=0,
        le=300,
    )
    HUB_SCHEDULER_PUBLIC_LIMIT: str = _field(
        "120 per minute", "`120 per minute`", "public page and public API reads per client address"
    )
    HUB_SCHEDULER_PUBLIC_REPORT_LIMIT: str = _field(
        "5 per hour",
        "`5 per hour`",
        "problem reports without sign-in per client address before 429 (the public hotline)",
    )
    HUB_SCHEDULER_SMTP_URL: str | None = _field(
        None,
        "unset (no e-mail)",
        "SMTP server for `mailto:` subscriptions: `smtp://user:password@host:port` "
        "(`smtps://` for TLS, `?starttls=1` for STARTTLS)",
    )
    HUB_SCHEDULER_MAIL_FROM: str = _field(
        "hub-scheduler@localhost", "`hub-scheduler@localhost`", "sender address of e-mails"
    )

    @property
    def jobs(self) -> JobConfig:
        """What the plan services need: the default time limit and the stale-job grace."""
        return JobConfig(
            time_limit_s=self.HUB_SCHEDULER_PLAN_TIME_LIMIT_S,
            grace_s=self.HUB_SCHEDULER_JOB_GRACE_S,
            now=self.HUB_SCHEDULER_PLAN_NOW,
        )

    @property
    def deliveries(self) -> DeliveryPolicy:
        """What webhook deliveries need: backoff, attempts, disabling, private addresses."""
        return DeliveryPolicy(
            retry_base_s=self.HUB_SCHEDULER_WEBHOOK_RETRY_BASE_S,
            max_attempts=self.HUB_SCHEDULER_WEBHOOK_MAX_ATTEMPTS,
            disable_after=self.HUB_SCHEDULER_WEBHOOK_DISABLE_AFTER,
            allow_private=self.HUB_SCHEDULER_WEBHOOK_ALLOW_PRIVATE,
            allowed_hosts=tuple(
                h.strip() for h in self.HUB_SCHEDULER_WEBHOOK_ALLOWED_HOSTS.split(",") if h.strip()
            ),
        )


def load_settings(overrides: dict[str, Any] | None = None) -> AppSettings:
    """The environment's settings with `overrides` (only the known keys) on top."""
    known = {k: v for k, v in (overrides or {}).items() if k in AppSettings.model_fields}
    return AppSettings(**known)


def init_app(app: Flask, settings: AppSettings) -> None:
    app.extensions[EXTENSION] = settings


def settings(app: Flask | None = None) -> AppSettings:
    """The app's settings, as read once by `create_app`."""
    return (app or current_app).extensions[EXTENSION]


def job_config(app: Flask | None = None) -> JobConfig:
    return settings(app).jobs


def configuration_table() -> str:
    """README's configuration table, rendered from the fields (variable, default, meaning)."""
    rows = ["| variable | default | meaning |", "| --- | --- | --- |"]
    for name, field in AppSettings.model_fields.items():
        shown = (field.json_schema_extra or {})["shown"]  # type: ignore[index]
        rows.append(f"| `{name}` | {shown} | {field.description} |")
    return "\n".join(rows)


if __name__ == "__main__":  # python -m api.settings: print the table for README
    print(configuration_table())
