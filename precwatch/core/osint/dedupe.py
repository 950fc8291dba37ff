"""Near-duplicate and similar-text detection with MinHash and locality-sensitive hashing (datasketch).

datasketch's MinHash and MinHashLSH are pure computation (hashing and in-memory buckets, no I/O), so they
live in the core. Documents are sets of word 3-gram shingles; the Jaccard similarity of two sets is
estimated from `NUM_PERM` hash minima, and LSH returns the pairs likely above a threshold without
comparing every pair.
"""

from __future__ import annotations

from collections.abc import Sequence

from datasketch import MinHash, MinHashLSH

NUM_PERM = 64
"""Hash permutations per signature (error of the Jaccard estimate ~ 1/sqrt(64) = 0.125)."""
SHINGLE = 3
"""Words per shingle."""
DUPLICATE_JACCARD = 0.6
"""Estimated shingle Jaccard at or above which two articles are near-duplicates (the same text re-published
with other boilerplate or light edits)."""
CANDIDATE_JACCARD = 0.5
"""LSH threshold for pairs worth scoring as possibly the same event (shared passages)."""


def shingles(tokens: Sequence[str], *, size: int = SHINGLE) -> set[str]:
    """Word n-grams of a token sequence (the whole sequence when shorter than `size`)."""
    if len(tokens) < size:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def signature(tokens: Sequence[str]) -> MinHash:
    """The MinHash signature of a document's shingles."""
    m = MinHash(num_perm=NUM_PERM)
    m.update_batch([s.encode("utf-8") for s in shingles(tokens)])
    return m


MAX_SIMILAR = 20
"""Most earlier documents one document may collide with and still make text pairs: more is a template
(a press-release form, boilerplate that survived cleaning)."""
MAX_DUPLICATES = 100
"""Near-duplicate search tolerates more collisions per document: a wire story re-published by many sites."""


def similar_pairs(
    signatures: Sequence[MinHash], *, threshold: float = CANDIDATE_JACCARD, cap: int = MAX_SIMILAR
) -> set[tuple[int, int]]:
    """Index pairs (i < j) whose estimated Jaccard is probably at or above `threshold`, via LSH buckets
    (work grows with the number of documents and of colliding pairs, not with all pairs). A document
    colliding with more than `cap` earlier ones is a template, not a story, and makes no pairs."""
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    pairs: set[tuple[int, int]] = set()
    for i, sig in enumerate(signatures):
        hits = lsh.query(sig)
        if len(hits) <= cap:
            pairs.update((int(j), i) for j in hits)
        lsh.insert(i, sig)
    return pairs


def near_duplicates(
    signatures: Sequence[MinHash], *, threshold: float = DUPLICATE_JACCARD
) -> list[tuple[int, int, float]]:
    """(i, j, estimated Jaccard) for the near-duplicate pairs."""
    out = []
    for i, j in sorted(similar_pairs(signatures, threshold=threshold, cap=MAX_DUPLICATES)):
        jaccard = signatures[i].jaccard(signatures[j])
        if jaccard >= threshold:
            out.append((i, j, jaccard))
    return out
