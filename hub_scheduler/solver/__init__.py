"""The planner: `solve(scenario)` returns a verified-quality Schedule; `fcfs(scenario)` is the
baseline.

Hybrid strategy (docs/solver.md): priority dispatch decoded by a serial schedule-generation scheme,
iterated local search on the order, and CP-SAT's lower bound on a relaxed model for `bound` and
`gap`.
"""

from hub_scheduler.solver.planner import fcfs, solve

__all__ = ["fcfs", "solve"]
