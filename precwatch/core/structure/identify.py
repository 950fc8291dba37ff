"""Identify knowledge-base substances in a chemical structure.

The pipeline, for each parent component of the input:
  1. standardise (declared salt/solvent stripping, neutralisation, ketone hydrates);
  2. exact lookup of the parent in the knowledge base (`listed`, or `salt` when step 1 changed the form);
  3. the legal class rules (`classes` on every match; `class` when nothing more specific applies);
  4. unmasking steps whose product is a listed substance (`masked`);
  5. nearest listed substance by fingerprint similarity (`analog`, a review signal).
The strongest relation wins (listed > salt > masked > class > analog): one match per component.
"""

from __future__ import annotations

from functools import lru_cache

from rdkit import Chem
from rdkit.Chem import rdMolDescriptors

from precwatch.core.classes.classify import classify
from precwatch.core.classes.model import ClassHit
from precwatch.core.kb.knowledge import KnowledgeBase
from precwatch.core.kb.substance import JURISDICTIONS, Substance
from precwatch.core.match import Match, Method, Relation
from precwatch.core.structure.analogues import ANALOG_THRESHOLD, analogue_index, one_edit
from precwatch.core.structure.index import StructureHit, structure_index
from precwatch.core.structure.masked import Unmasked, masked_search, unmask
from precwatch.core.structure.read import (
    Composition,
    StructureFormat,
    formula_composition,
    guess_format,
    inchikey,
    parse_smiles_for_search,
    parse_structure,
    written_connected,
)
from precwatch.core.structure.standardise import standardise

CONFIDENCE: dict[str, float] = {
    "listed": 1.0,
    "salt": 0.98,
    "masked": 0.85,
    "class": 0.9,
    "analog": 0.5,
}
"""Confidence of a structure match by relation; halved steps apply for stereo-free or ambiguous hits."""


ONE_EDIT_FLOOR = 0.3
"""One-edit analogues are only looked for above this similarity (every one measured is above 0.35)."""


def identify_structure(
    structure: str | Chem.Mol,
    kb: KnowledgeBase,
    *,
    fmt: StructureFormat | None = None,
    trace: list[str] | None = None,
    text: str | None = None,
    start: int = 0,
    method: Method = "structure",
) -> list[Match]:
    """Every knowledge-base substance, masked form, class member or analogue in one structure.

    Args:
        structure: a SMILES, InChI or MOL block, or an RDKit molecule.
        kb: the knowledge base.
        fmt: the structure format of a string (guessed when None).
        trace: if given, receives one line per decision (used by `precwatch explain`).
        text, start: the span reported in each match (defaults: the structure string, from 0).
        method: `structure`, or `systematic-name` when the structure came from a name.

    Raises:
        StructureError: the structure cannot be read.
    """
    if trace is None and isinstance(structure, str):
        return list(_remembered(structure, kb, fmt, text, start, method))
    return _identify(structure, kb, fmt=fmt, trace=trace, text=text, start=start, method=method)


def reference_identify_structure(
    structure: str | Chem.Mol, kb: KnowledgeBase, *, fmt: StructureFormat | None = None
) -> list[Match]:
    """`identify_structure` without its speed screens: the reference the screened engine must equal.

    No verdict cache, every class rule run in full (no shared substructure gates), every unmasking step
    tried (no skeleton screen). Slow; used by the tests that prove the screens never change a verdict.
    """
    return _identify(structure, kb, fmt=fmt, trace=None, text=None, start=0, method="structure", gated=False)


VERDICT_CACHE_SIZE = 65_536
"""Structures whose matches are remembered by their input string (catalogues and order streams repeat the
same products): a repeat costs a dictionary lookup instead of a parse and the whole pipeline."""


@lru_cache(maxsize=VERDICT_CACHE_SIZE)
def _remembered(
    structure: str,
    kb: KnowledgeBase,
    fmt: StructureFormat | None,
    text: str | None,
    start: int,
    method: Method,
) -> tuple[Match, ...]:
    """The matches of one structure string (an unreadable one raises each time: errors are not kept)."""
    return tuple(_identify(structure, kb, fmt=fmt, trace=None, text=text, start=start, method=method))


def forget_verdicts() -> None:
    """Empty the verdict cache (benchmarks measure the engine itself on unseen structures)."""
    _remembered.cache_clear()


def _identify(
    structure: str | Chem.Mol,
    kb: KnowledgeBase,
    *,
    fmt: StructureFormat | None,
    trace: list[str] | None,
    text: str | None,
    start: int,
    method: Method,
    gated: bool = True,
) -> list[Match]:
    if not isinstance(structure, str):
        mol = structure
    else:
        fmt = fmt or guess_format(structure)  # (once: the parse and `written_connected` both need it)
        mol = (
            parse_smiles_for_search(structure)
            if gated and fmt == "smiles"
            else parse_structure(structure, fmt)
        )
    if text is None:
        text = structure if isinstance(structure, str) else Chem.MolToSmiles(mol)
    note = trace.append if trace is not None else None
    connected = gated and isinstance(structure, str) and written_connected(structure, fmt)
    std = standardise(mol, connected=connected)
    if note:
        note(f"parsed: {Chem.MolToSmiles(mol)} ({mol.GetNumAtoms()} heavy atoms)")
        for step in std.steps:
            note(f"standardise: {step}")
    form = structure_index(kb).form(mol) if std.salt_form else None
    seen: set[str] = set()
    matches: list[Match] = []
    for parent, neutral in zip(std.parents, std.neutral, strict=True):
        key = Chem.MolToSmiles(parent) if len(std.parents) > 1 else ""
        if key in seen:
            continue
        seen.add(key)
        ctx = _Component(kb, parent, std.salt_form, form, trace, text, start, method, gated, neutral)
        matches.extend(ctx.identify())
    return matches


class _Component:
    """One standardised parent component being identified."""

    def __init__(
        self,
        kb: KnowledgeBase,
        parent: Chem.Mol,
        salt_form: bool,
        form: Substance | None,
        trace: list[str] | None,
        text: str,
        start: int,
        method: Method,
        gated: bool = True,
        neutral: bool = False,
    ) -> None:
        self.kb, self.parent, self.salt_form, self.form = kb, parent, salt_form, form
        self.trace, self.text, self.start, self.method = trace, text, start, method
        self.gated, self.neutral = gated, neutral
        self.atoms: Composition | None = None
        """The parent's heavy-atom composition, once read off its formula (masked search, one edit)."""

    def note(self, line: str) -> None:
        if self.trace is not None:
            self.trace.append(line)

    def identify(self) -> list[Match]:
        formula = rdMolDescriptors.CalcMolFormula(self.parent)
        hits = structure_index(self.kb).lookup(self.parent, formula)
        classes = classify(self.parent, self.trace, gated=self.gated)
        class_ids = tuple(h.rule.id for h in classes)
        if hits:
            return [self._identity(h, len(hits), class_ids) for h in hits]
        if self.trace is not None:  # (the SMILES costs as much as a parse: only when explaining)
            self.note(f"lookup: parent {Chem.MolToSmiles(self.parent)} ({formula}) is not a listed substance")
        masked = self._masked(formula)
        if masked is not None:
            return [self._masked_match(*masked, class_ids)]
        if classes:
            return [self._class_match(classes[0], class_ids)]
        return self._analogue(formula)

    def _identity(self, hit: StructureHit, ambiguity: int, class_ids: tuple[str, ...]) -> Match:
        s = hit.substance
        relation: Relation = "salt" if self.salt_form else "listed"
        confidence = CONFIDENCE[relation] * (1.0 if hit.stereo else 0.92) * (1.0 if ambiguity == 1 else 0.85)
        why = f"structure is {s.preferred_name}" + (
            "" if hit.stereo else " (same connectivity; stereo differs or not given)"
        )
        if self.salt_form:
            why += ", as a salt, hydrate or charged form"
        self.note(f"lookup: {why} -> {relation}")
        return self._match(s, relation, confidence, why, class_ids, form=self.form)

    def _masked(self, formula: str) -> tuple[Unmasked, Substance] | None:
        if self.gated:
            self.atoms = formula_composition(formula)
            steps = masked_search(self.kb).unmask(
                self.parent, self.trace, formula=formula, atoms=self.atoms, neutral=self.neutral
            )
        else:
            steps = unmask(self.parent, self.trace)
        for u in steps:
            found = structure_index(self.kb).lookup(u.product)
            if found:
                self.note(
                    f"masked: {u.transformation.name} gives {Chem.MolToSmiles(u.product)} = "
                    f"{found[0].substance.preferred_name}"
                )
                return u, found[0].substance
        return None

    def _masked_match(self, u: Unmasked, s: Substance, class_ids: tuple[str, ...]) -> Match:
        sites = f" at {u.sites} sites" if u.sites > 1 else ""
        why = (
            f"masked {s.preferred_name}: {u.transformation.name}{sites} gives it in one step "
            f"({u.transformation.justification.split(':')[0].split(';')[0]})"
        )
        return self._match(
            s, "masked", CONFIDENCE["masked"], why, class_ids, transformation=u.transformation.id
        )

    def _class_match(self, hit: ClassHit, class_ids: tuple[str, ...]) -> Match:
        rule = hit.rule
        controls = {j: "unknown" for j in JURISDICTIONS} | hit.controls()
        why = f"member of class {rule.id} ({rule.title}): {hit.evidence}"
        self.note(f"decision: {why}")
        return Match(
            substance=rule.id,
            name=rule.title,
            cas=None,
            relation="class",
            method=self.method,
            text=self.text,
            start=self.start,
            end=self.start + len(self.text),
            confidence=CONFIDENCE["class"],
            evidence=why,
            controls=controls,
            class_id=rule.id,
            classes=class_ids,
            inchikey=inchikey(self.parent),
        )

    def _analogue(self, formula: str) -> list[Match]:
        near = analogue_index(self.kb).nearest(self.parent)
        if near is None:
            self.note("analogue: shares no scaffold family with the knowledge base: no match")
            return []
        s, sim = near.substance, near.similarity
        if sim >= ANALOG_THRESHOLD:
            how = f"Morgan Tanimoto {sim:.2f} >= {ANALOG_THRESHOLD}"
        else:
            known = structure_index(self.kb).compositions if self.gated else None
            edit = (
                one_edit(
                    self.parent, self._lookup_one, known, atoms=self.atoms or formula_composition(formula)
                )
                if sim >= ONE_EDIT_FLOOR
                else None
            )
            if edit is None:
                self.note(
                    f"analogue: nearest listed is {s.preferred_name} at Tanimoto {sim:.2f} "
                    f"< {ANALOG_THRESHOLD}, and no single edit gives a listed substance: no match"
                )
                return []
            s, how = edit[0], f"one edit away: {edit[1]}"
            sim = analogue_index(self.kb).similarity(self.parent, s)
        why = (
            f"analogue of {s.preferred_name} ({how}; family {near.family}); "
            "no class rule or unmasking step covers it: route to review"
        )
        self.note(f"decision: {why}")
        confidence = CONFIDENCE["analog"] + 0.3 * max(0.0, sim - ANALOG_THRESHOLD) / (1 - ANALOG_THRESHOLD)
        controls = {j: "unknown" for j in JURISDICTIONS}
        if "analogue" in s.control("CA").detail:
            controls["CA"] = "review: possible analogue"
        return [self._match(s, "analog", confidence, why, (), controls=controls, similarity=sim)]

    def _lookup_one(self, mol: Chem.Mol) -> Substance | None:
        hits = structure_index(self.kb).lookup(mol)
        return hits[0].substance if hits else None

    def _match(
        self,
        s: Substance,
        relation: Relation,
        confidence: float,
        evidence: str,
        class_ids: tuple[str, ...],
        *,
        form: Substance | None = None,
        transformation: str | None = None,
        controls: dict[str, str] | None = None,
        similarity: float | None = None,
    ) -> Match:
        return Match(
            substance=s.id,
            name=s.preferred_name,
            cas=s.cas,
            relation=relation,
            method=self.method,
            text=self.text,
            start=self.start,
            end=self.start + len(self.text),
            confidence=confidence,
            evidence=evidence,
            controls=controls if controls is not None else s.control_summary(),
            form=form.id if form else None,
            form_cas=form.cas if form else None,
            classes=class_ids,
            transformation=transformation,
            similarity=similarity,
            inchikey=inchikey(self.parent),
        )
