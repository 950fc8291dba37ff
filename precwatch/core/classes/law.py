"""Citations shared by several class rules: the legal texts and announcements the rules quote.

Each rule module builds its `Coverage` entries from these; a change of citation is made once here."""

from __future__ import annotations

CFR = "21 CFR 1310.02(a); "
CN24 = "MPS et al. announcement of 2 Aug 2024, effective 1 Sep 2024 (ChemRadar; Chemistry World)"
CN_CAT = "controlled precursor (category not verified)"
REVIEW = "review: derivative or analogue"
UN24 = "1988 Convention Table I; CND decision of March 2024; INCB press release 3 Dec 2024"
PCR = "Precursor Control Regulations, Schedule, item "
SALTS_DA = "its salts, derivatives and analogues and salts of derivatives and analogues"
INFERENCE = "the acid and other esters as derivatives/analogues is an inference"
