"""Turning scored pairs into clusters of records, obeying the data officers' decisions, and
keeping cluster ids stable from run to run. Pure functions; no database.

Decided "same person" pairs join first; then automatic links join in order of strength,
except where joining would put two records a data officer called different people in one
cluster. So a later automatic run never undoes a decision.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


class Components:
    """Union-find over record ids, remembering which records must stay apart."""

    def __init__(self, ids: Iterable[int], apart: Iterable[tuple[int, int]] = ()) -> None:
        self.parent = {i: i for i in ids}
        self.members: dict[int, set[int]] = {i: {i} for i in self.parent}
        self.apart: dict[int, set[int]] = defaultdict(set)
        for a, b in apart:
            self.apart[a].add(b)
            self.apart[b].add(a)

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def can_join(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        small, large = sorted((self.members[ra], self.members[rb]), key=len)
        return not any(self.apart.get(x, set()) & large for x in small if x in self.apart)

    def join(self, a: int, b: int) -> bool:
        """Join the two records' clusters unless a decision keeps them apart."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if not self.can_join(a, b):
            return False
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] |= self.members.pop(rb)
        return True

    def groups(self) -> list[set[int]]:
        return [set(m) for m in self.members.values()]


@dataclass(frozen=True)
class Clustering:
    groups: list[set[int]]
    # record -> strongest probability of a link that joined it (1.0 for a decision)
    strength: dict[int, float]
    decided: set[int]
    refused_links: int


def cluster(
    ids: Iterable[int],
    links: Iterable[tuple[int, int, float]],
    *,
    same: Iterable[tuple[int, int]] = (),
    different: Iterable[tuple[int, int]] = (),
    start: Iterable[set[int]] = (),
) -> Clustering:
    """Cluster records: `start` groups (kept together: incremental runs), then decided
    `same` pairs, then `links` (a, b, probability) strongest first, never joining records
    that `different` pairs keep apart. Ties are broken by ids, so the result is repeatable."""
    components = Components(ids, different)
    strength: dict[int, float] = {}
    decided: set[int] = set()
    for group in start:
        first, *rest = sorted(group)
        for other in rest:
            components.join(first, other)
    for a, b in sorted(same):
        if components.join(a, b):
            decided |= {a, b}
            strength[a] = strength[b] = 1.0
    refused = 0
    for a, b, probability in sorted(links, key=lambda x: (-x[2], x[0], x[1])):
        if components.find(a) == components.find(b):
            pass
        elif not components.join(a, b):
            refused += 1
            continue
        strength[a] = max(strength.get(a, 0.0), probability)
        strength[b] = max(strength.get(b, 0.0), probability)
    return Clustering(components.groups(), strength, decided, refused)


def stable_labels(
    groups: list[set[int]], previous: Mapping[int, int]
) -> tuple[dict[int, int], list[int]]:
    """Give each new group the previous cluster id that most of its records had, each id to
    one group only (the one holding most of its records). Returns record -> cluster id (or a
    negative placeholder, -(n+1), for the n-th group that needs a new cluster) and the
    previous cluster ids left with no records."""
    claims: list[tuple[int, int, int, int]] = []
    for index, group in enumerate(groups):
        counts = Counter(previous[r] for r in group if r in previous)
        for cluster_id, n in counts.items():
            claims.append((-n, cluster_id, min(group), index))
    taken: dict[int, int] = {}
    label_of_group: dict[int, int] = {}
    for _, cluster_id, _, index in sorted(claims):
        if cluster_id in taken or index in label_of_group:
            continue
        taken[cluster_id] = index
        label_of_group[index] = cluster_id
    labels: dict[int, int] = {}
    new = 0
    for index, group in sorted(enumerate(groups), key=lambda x: min(x[1])):
        if index not in label_of_group:
            new += 1
            label_of_group[index] = -new
        for record in group:
            labels[record] = label_of_group[index]
    emptied = sorted(set(previous.values()) - set(taken))
    return labels, emptied
