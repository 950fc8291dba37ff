"""A seeded generator of listing-like texts that stress the text engine's fast path.

Every text mixes ordinary goods wording with the things the detectors and the gate look at: knowledge-base
names (cased, spaced, hyphenated, glued to other words, with salts), CAS numbers in every disguise (letters
for digits, odd separators, spacing, full-width digits, no separators, with and without a cue), valid CAS
numbers of unlisted chemicals, partial numbers and product codes, dates, prices, phone and order numbers,
Chinese and Spanish words, look-alike letters, zero-width spaces and "|" separators.
"""

from __future__ import annotations

import random

from precwatch.core.kb.identifiers import cas_check_digit, format_cas
from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.text.lexicon import BENIGN_NAMES, CLASS_PHRASES, FUZZY_STEMS

_WORDS = (
    "cotton", "T-shirt", "LED", "strip", "cable", "pump", "bolt", "pipe", "fittings", "PE", "bag", "carton",
    "drum", "powder", "oil", "liquid", "purity", "99%", "98.5%", "kg", "25kg/drum", "MOQ", "sample", "free",
    "shipping", "door to door", "FOB", "Shanghai", "USD", "price", "in stock", "factory", "supply", "white",
    "crystal", "API", "intermediate", "pharmaceutical", "COA", "MSDS", "whatsapp", "telegram", "wickr",
    "现货", "白色粉末", "纯度", "公斤", "polvo", "pureza", "envío", "seguro", "item", "code", "no.", "No:",
    "order", "lot", "batch", "tel", "HS", "CTNS", "N.W.", "G.W.", "KGS", "nuclear", "power plant", "lending",
    "peer", "pyridine", "4-aminopyridine", "methyl", "ethyl", "phenyl", "tert-butyl", "(", ")", "[", "]",
    "|", ",", ";", "-", "/", ":", "·", "cas", "CAS", "CAS No.", "CAS#", "cas:", "Cas Rn", "CASE", "casual",
)  # fmt: skip
_SALTS = ("HCl", "hydrochloride", "citrate", "2HCl", "盐酸盐", "sodium salt", "hydrate")
_LOOKALIKE = str.maketrans({"o": "о", "a": "а", "e": "е", "p": "р", "c": "с"})  # Cyrillic letters
_FULL_WIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")


class TextGenerator:
    """Texts for equivalence tests, the same for the same seed."""

    def __init__(self, kb: KnowledgeBase, seed: int) -> None:
        self.rng = random.Random(seed)
        self.names = sorted(
            {n for s in kb.substances for n in (s.preferred_name, *(n for _, n in s.names.all()))}
        )
        self.cas = sorted(kb.by_cas)

    def text(self) -> str:
        rng = self.rng
        parts = [self._piece() for _ in range(rng.randint(1, 14))]
        joiners = (" ", " ", " ", ", ", "; ", " | ", "\n", "", "-", " / ")
        out = parts[0]
        for p in parts[1:]:
            out += rng.choice(joiners) + p
        return out

    def _piece(self) -> str:
        rng = self.rng
        kind = rng.random()
        if kind < 0.35:
            return rng.choice(_WORDS)
        if kind < 0.50:
            return self._name()
        if kind < 0.65:
            return self._cas(rng.choice(self.cas))
        if kind < 0.72:
            return self._cas(self._unlisted_cas())
        if kind < 0.80:
            return self._digits()
        if kind < 0.85:
            cas = rng.choice(self.cas)
            blocks = cas.rsplit("-", 1)[0] if rng.random() < 0.5 else cas.split("-")[0]
            return rng.choice(("CAS", "cas no.", "item", "code", "")) + rng.choice(("", " ", ":")) + blocks
        if kind < 0.90:
            return rng.choice((*BENIGN_NAMES, *CLASS_PHRASES))
        if kind < 0.95:
            stem = rng.choice(FUZZY_STEMS)
            return stem + "".join(rng.choice("aeiloryn") for _ in range(rng.randint(0, 6)))
        return self._misspelt(rng.choice(self.names))

    def _name(self) -> str:
        rng = self.rng
        name = rng.choice(self.names)
        r = rng.random()
        if r < 0.2:
            name = name.upper()
        elif r < 0.3:
            name = name.replace("-", " ")
        elif r < 0.35:
            name = name.translate(_LOOKALIKE)
        elif r < 0.4:
            name = name[:1] + "\u200b" + name[1:]
        elif r < 0.45:
            name = rng.choice(("N-", "4-", "1-methyl-", "fluoro", "x")) + name
        elif r < 0.5:
            name = name + rng.choice(("s", "-4-yl", "-1", "ine", "x"))
        elif r < 0.55:
            name = name.replace("1", "l", 1)
        if rng.random() < 0.2:
            name += rng.choice((" ", "-", "·", "")) + rng.choice(_SALTS)
        return name

    def _misspelt(self, name: str) -> str:
        rng = self.rng
        if len(name) < 5:
            return name
        i = rng.randrange(len(name))
        op = rng.random()
        if op < 0.33:
            return name[:i] + name[i + 1 :]
        if op < 0.66:
            return name[:i] + rng.choice("aeiouxrnl") + name[i:]
        return name[:i] + rng.choice("aeiouxrnl") + name[i + 1 :]

    def _unlisted_cas(self) -> str:
        rng = self.rng
        body = str(rng.randint(10, 9_999_999)) + f"{rng.randint(0, 99):02d}"
        return format_cas(body + str(cas_check_digit(body)))

    def _cas(self, cas: str) -> str:
        rng = self.rng
        r = rng.random()
        text = cas
        if r < 0.15:
            text = cas.replace("0", "O").replace("1", rng.choice("lI|"))
        elif r < 0.25:
            text = cas.replace("-", rng.choice((" ", ".", "_", " - ", "/", "~", "=", "·", ":", "\\")))
        elif r < 0.32:
            text = cas.replace("-", "")
        elif r < 0.38:
            text = " ".join(cas)
        elif r < 0.44:
            text = cas.translate(_FULL_WIDTH)
        elif r < 0.50:
            i = rng.randrange(len(cas))
            text = cas[:i] + str(rng.randint(0, 9)) + cas[i + 1 :]  # a typo: the check digit fails
        cue = rng.choice(("", "", "CAS ", "CAS No. ", "cas:", "CAS#", "col", "CAS RN ", "编号 "))
        return cue + text

    def _digits(self) -> str:
        rng = self.rng
        shapes = (
            lambda: f"+86 1{rng.randint(30, 99)} {rng.randint(0, 9999):04d} {rng.randint(0, 9999):04d}",
            lambda: f"US${rng.randint(1, 999)}.{rng.randint(0, 99):02d}/kg",
            lambda: f"order {rng.randint(10**5, 10**11)}",
            lambda: f"20{rng.randint(10, 30)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            lambda: f"{rng.randint(1000, 9999999)}-{rng.randint(0, 99):02d}",
            lambda: f"HS {rng.randint(1000, 9999)}.{rng.randint(0, 99):02d}",
            lambda: str(rng.randint(0, 10 ** rng.randint(1, 12))),
            lambda: f"{rng.randint(1, 999)} CTNS N.W. {rng.randint(100, 99999)} KGS",
        )
        return rng.choice(shapes)()
