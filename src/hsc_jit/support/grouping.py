"""Grouping texts worded alike: greedy clustering of sentence vectors by cosine."""

from __future__ import annotations

import numpy as np


def group_alike(vectors: np.ndarray, threshold: float) -> list[list[int]]:
    """Row indices in groups, in order: each row joins the group whose first row is closest to
    it if that is at least ``threshold`` (vectors are unit length, so a dot product is a
    cosine), else starts a group of its own."""
    seeds: list[int] = []
    groups: list[list[int]] = []
    for row in range(len(vectors)):
        if seeds:
            cosines = vectors[seeds] @ vectors[row]
            best = int(np.argmax(cosines))
            if cosines[best] >= threshold:
                groups[best].append(row)
                continue
        seeds.append(row)
        groups.append([row])
    return groups
