"""The pages read the service's clock (`api.clock.service_now`: HUB_SCHEDULER_PLAN_NOW when set),
as the plan jobs and the re-plans do: with the clock on the Xunwu day's first minute, the plan in
force is that day's even when the next day's was published after it and the real clock has
passed both days. (Before: `lookups.plan_in_force` chose by the real clock, so a page showed
the day published last, without the slots of the trucks due now.)"""

from __future__ import annotations

from datetime import datetime

from api.clock import service_now
from api.web.lookups import plan_in_force
from tests.api.conftest import DAY_START

TOMORROW = {"start": "2026-11-29T00:00:00+08:00", "end": "2026-11-30T00:00:00+08:00"}


def test_the_plan_in_force_is_chosen_by_the_services_clock(app, client, tokens, published):
    tomorrow = client.post(
        "/api/v1/plans", json={"horizon": TOMORROW, "time_limit_s": 1}, headers=tokens["admin"]
    ).json
    answer = client.post(f"/api/v1/plans/{tomorrow['id']}/publish", headers=tokens["admin"])
    assert answer.status_code == 200, answer.json

    with app.test_request_context():
        assert service_now() == datetime.fromisoformat(DAY_START)
        shown = plan_in_force(None)
    assert shown is not None and shown.id == published["plan"]["id"]
    assert shown.id != tomorrow["id"]
