"""One dynasearch step on one machine (one dock): the moves, their gains, the best independent set.

Dynasearch (Congram, Potts and van de Velde, INFORMS J. Computing 14(1):52-67, 2002) makes one
descent step by a dynamic programme over the sequence that picks the best *set of independent*
moves at once: two moves are independent when their position ranges do not overlap, so their gains
add up. Grosso, Della Croce and Tadei (Oper. Res. Letters 32:68-72, 2004) enlarge each move from a
swap of the jobs at positions i < j to the best of that swap, moving the job at i to just after j
(forward insertion) and moving the job at j to just before i (backward insertion); every one of
them leaves the block i..j in place, so independence still holds.

Costs: job x started at t costs `w[x] * max(0, t + p[x] - due[x])`; the next job starts at
`t + span[x]` (span = handling + disinfection on a dock, span = p on OR-Library instances); the
first at `t0`. Times are whole minutes (spans are integers), weights and due dates may be floats.

Speed-ups (all exact): start times from a prefix sum; the gain of every move of every pair (i, j)
comes from a table of prefix sums of the shifted costs, one row per shift value, so one dynasearch
step costs O(n^2 + R n) numpy work for R distinct shifts (R <= 2 * max span + 1) instead of the
naive O(n^3); the DP itself is O(n^2). `move_deltas_reference` and
`best_independent_moves_reference` are the plain-Python versions the tests hold the fast ones
against. The iterated search around the step: `solver.dynasearch`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

SWAP, FORWARD, BACKWARD = 0, 1, 2  # the job at i and the one at j trade places; i goes after j;
MOVE_KINDS = (SWAP, FORWARD, BACKWARD)
EPS = 1e-9
# Shift tables are indexed by the shift itself when spans stay below this; else by unique values.
DENSE_SHIFT_LIMIT = 4096


@dataclass(frozen=True)
class Problem:
    """One machine: per job its span (minutes to the next start), p (minutes to the end that
    counts for tardiness), weight and due time (minutes), all jobs released at `t0`."""

    span: np.ndarray  # int64
    p: np.ndarray  # int64
    w: np.ndarray  # float64
    due: np.ndarray  # float64
    t0: int = 0

    @classmethod
    def of(
        cls,
        span: Sequence[int],
        p: Sequence[int],
        w: Sequence[float],
        due: Sequence[float],
        t0: int = 0,
    ) -> Problem:
        if not len(span) == len(p) == len(w) == len(due):
            raise ValueError("span, p, w and due must have one entry per job")
        return cls(
            span=np.asarray(span, dtype=np.int64),
            p=np.asarray(p, dtype=np.int64),
            w=np.asarray(w, dtype=np.float64),
            due=np.asarray(due, dtype=np.float64),
            t0=int(t0),
        )

    @property
    def n(self) -> int:
        return len(self.span)


def sequence_cost(prob: Problem, seq: Sequence[int]) -> float:
    """Total weighted tardiness of the jobs in `seq` back to back from `t0` (plain Python)."""
    t = prob.t0
    total = 0.0
    for j in seq:
        late = t + int(prob.p[j]) - float(prob.due[j])
        if late > 0:
            total += float(prob.w[j]) * late
        t += int(prob.span[j])
    return total


def apply_move(seq: Sequence[int], i: int, j: int, kind: int) -> list[int]:
    """The sequence after one move on positions i < j."""
    new = list(seq)
    if kind == SWAP:
        new[i], new[j] = new[j], new[i]
    elif kind == FORWARD:
        new.insert(j, new.pop(i))
    elif kind == BACKWARD:
        new.insert(i, new.pop(j))
    else:
        raise ValueError(f"unknown move kind {kind}")
    return new


def apply_moves(seq: Sequence[int], moves: Sequence[tuple[int, int, int]]) -> list[int]:
    """Apply independent moves (non-overlapping position ranges), in any order."""
    new = list(seq)
    for i, j, kind in moves:
        new[i : j + 1] = apply_move(new[i : j + 1], 0, j - i, kind)
    return new


# --- one dynasearch step, reference ---------------------------------------------------------------


def move_deltas_reference(
    prob: Problem, seq: Sequence[int], kinds: Sequence[int] = MOVE_KINDS
) -> list[list[tuple[float, int] | None]]:
    """delta[i][j] = (the least cost change of one move of `kinds` on positions i < j, its kind),
    by applying each move and evaluating the whole sequence: O(n^3), for tests."""
    n = len(seq)
    base = sequence_cost(prob, seq)
    out: list[list[tuple[float, int] | None]] = [[None] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            best = None
            for kind in kinds:
                d = sequence_cost(prob, apply_move(seq, i, j, kind)) - base
                if best is None or d < best[0] - EPS:
                    best = (d, kind)
            out[i][j] = best
    return out


def best_independent_moves_reference(
    deltas: list[list[tuple[float, int] | None]],
) -> tuple[float, list[tuple[int, int, int]]]:
    """The DP in plain Python: F[m] = min(F[m-1], min over i < m-1 of F[i] + delta[i][m-1])."""
    n = len(deltas)
    f = [0.0] * (n + 1)
    choice: list[int] = [-1] * (n + 1)
    for m in range(1, n + 1):
        j = m - 1
        f[m], choice[m] = f[m - 1], -1
        for i in range(j):
            d = deltas[i][j]
            if d is not None and f[i] + d[0] < f[m] - EPS:
                f[m], choice[m] = f[i] + d[0], i
    moves = []
    m = n
    while m > 0:
        i = choice[m]
        if i >= 0:
            d = deltas[i][m - 1]
            assert d is not None
            moves.append((i, m - 1, d[1]))
            m = i
        else:
            m -= 1
    return f[n], moves[::-1]


# --- one dynasearch step, fast --------------------------------------------------------------------


class Grids:
    """The pairs i < j of one n (row-major), kept between steps."""

    def __init__(self, n: int):
        self.n = n
        self.i, self.j = np.triu_indices(n, 1)
        self.i1 = self.i + 1
        self.j1 = self.j + 1


def pair_deltas(
    prob: Problem,
    seq: np.ndarray,
    kinds: Sequence[int] = MOVE_KINDS,
    grids: Grids | None = None,
) -> tuple[np.ndarray, np.ndarray, float]:
    """(delta, kind, cost) over the pairs i < j in `np.triu_indices` order: the least cost change
    of one move of `kinds` on positions i and j, which move, and the sequence's cost.

    O(n^2 + R n) for R distinct shifts: the change of the jobs between i and j, which all start the
    same number of minutes later (or earlier), is a difference of two prefix sums of one row of a
    table of shifted costs."""
    n = len(seq)
    g = grids if grids is not None and grids.n == n else Grids(n)
    sp = prob.span[seq]
    w = prob.w[seq]
    slack = prob.due[seq] - prob.p[seq]  # the latest start without tardiness
    start = np.empty(n, dtype=np.int64)
    start[0] = prob.t0
    np.cumsum(sp[:-1], out=start[1:])
    start[1:] += prob.t0
    cur = w * np.maximum(0.0, start - slack)
    cost = float(cur.sum())

    # table[r, m] = sum over k < m of the change of job k's cost when it starts shifts[r] later.
    top = int(sp.max())
    if 2 * top + 1 <= DENSE_SHIFT_LIMIT:
        shifts = np.arange(-top, top + 1, dtype=np.int64)

        def row(values: np.ndarray) -> np.ndarray:
            return values + top

    else:
        wanted = np.concatenate([sp[g.j] - sp[g.i], sp, -sp])
        shifts = np.unique(wanted)

        def row(values: np.ndarray) -> np.ndarray:
            return np.searchsorted(shifts, values)

    change = w[None, :] * np.maximum(0.0, (start[None, :] + shifts[:, None]) - slack[None, :])
    change -= cur[None, :]
    table = np.zeros((len(shifts), n + 1))
    np.cumsum(change, axis=1, out=table[:, 1:])
    flat = table.ravel()
    width = n + 1

    pi, pj = g.i, g.j
    spi, spj = sp[pi], sp[pj]
    # The job at j started at i's start; the job at i started where j's block ends, minus its span.
    early = w[pj] * np.maximum(0.0, start[pi] - slack[pj]) - cur[pj]
    late = w[pi] * np.maximum(0.0, start[pj] + spj - spi - slack[pi]) - cur[pi]
    delta = np.full(len(pi), np.inf)
    kind = np.zeros(len(pi), dtype=np.int8)
    for k in kinds:
        if k == SWAP:  # the jobs strictly between shift by sp[j] - sp[i]
            base = row(spj - spi) * width
            values = early + late + flat.take(base + pj) - flat.take(base + g.i1)
        elif k == FORWARD:  # the jobs after i up to j shift by -sp[i]
            base = row(-spi) * width
            values = late + flat.take(base + g.j1) - flat.take(base + g.i1)
        elif k == BACKWARD:  # the jobs from i up to before j shift by sp[j]
            base = row(spj) * width
            values = early + flat.take(base + pj) - flat.take(base + pi)
        else:
            raise ValueError(f"unknown move kind {k}")
        better = values < delta - EPS
        delta[better] = values[better]
        kind[better] = k
    return delta, kind, cost


def move_deltas(
    prob: Problem, seq: np.ndarray, kinds: Sequence[int] = MOVE_KINDS
) -> tuple[np.ndarray, np.ndarray, float]:
    """`pair_deltas` as n x n matrices (+inf on and below the diagonal), for tests."""
    n = len(seq)
    g = Grids(n)
    values, kinds_v, cost = pair_deltas(prob, np.asarray(seq, dtype=np.int64), kinds, g)
    delta = np.full((n, n), np.inf)
    kind = np.zeros((n, n), dtype=np.int8)
    delta[g.i, g.j] = values
    kind[g.i, g.j] = kinds_v
    return delta, kind, cost


def best_set(
    n: int, pi: np.ndarray, pj: np.ndarray, values: np.ndarray, kind: np.ndarray
) -> tuple[float, list[tuple[int, int, int]]]:
    """The DP on the pairs whose move pays (delta < 0), in plain Python.

    F[m], the best gain on positions < m, is min(F[m-1], min over i < m-1 of F[i] + delta[i, m-1]);
    F never increases, so a pair with delta >= 0 can never beat F[m-1] and is left out. Ties go to
    the earliest i."""
    pays = np.flatnonzero(values < -EPS)
    if not len(pays):
        return 0.0, []
    ending: dict[int, list[tuple[int, float, int]]] = {}
    # Sorted by (j, i): np.triu_indices is row-major (by i), so sort the few paying pairs.
    order = pays[np.lexsort((pi[pays], pj[pays]))]
    for i, j, d, k in zip(
        pi[order].tolist(),
        pj[order].tolist(),
        values[order].tolist(),
        kind[order].tolist(),
        strict=True,
    ):
        ending.setdefault(j, []).append((i, d, k))
    f = [0.0] * (n + 1)
    choice: list[tuple[int, int] | None] = [None] * (n + 1)
    for m in range(1, n + 1):
        f[m] = f[m - 1]
        for i, d, k in ending.get(m - 1, ()):
            if f[i] + d < f[m] - EPS:
                f[m], choice[m] = f[i] + d, (i, k)
    moves = []
    m = n
    while m > 0:
        c = choice[m]
        if c is None:
            m -= 1
        else:
            moves.append((c[0], m - 1, c[1]))
            m = c[0]
    return f[n], moves[::-1]


def best_independent_moves(
    delta: np.ndarray, kind: np.ndarray
) -> tuple[float, list[tuple[int, int, int]]]:
    """The best set of independent moves from n x n matrices: (total gain <= 0, [(i, j, kind)] in
    position order)."""
    n = delta.shape[0]
    pi, pj = np.triu_indices(n, 1)
    return best_set(n, pi, pj, delta[pi, pj], kind[pi, pj])
