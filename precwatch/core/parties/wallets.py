"""Crypto-currency wallet addresses, accepted only when their checksum verifies.

A wallet address in a listing is a strong vendor key (two names paid into one wallet are one till), but a
string that merely looks like one is not: every address format carries a checksum, and an address whose
checksum fails was mistyped or made up. Checks, by format:

- Bitcoin legacy (P2PKH `1...`, P2SH `3...`): Base58Check (double SHA-256), version byte 0x00 or 0x05;
- Bitcoin SegWit (`bc1...`): bech32 (v0, BIP-173) or bech32m (v1+, BIP-350), via the `bech32` package;
- Ethereum (`0x` + 40 hex digits): EIP-55 mixed-case checksum (Keccak-256 of the lower-case hex); an
  all-lower or all-upper address carries no checksum and is accepted as written (EIP-55 allows it);
- TRON (`T...`): Base58Check with version byte 0x41.
"""

from __future__ import annotations

import re

import base58
import bech32
from eth_hash.auto import keccak

BTC_LEGACY = re.compile(r"(?<![0-9A-Za-z])[13][1-9A-HJ-NP-Za-km-z]{25,34}(?![0-9A-Za-z])")
BTC_BECH32 = re.compile(r"(?<![0-9A-Za-z])(?:bc1|BC1)[ac-hj-np-zAC-HJ-NP-Z02-9]{8,87}(?![0-9A-Za-z])")
ETH = re.compile(r"(?<![0-9A-Za-z])0x[0-9a-fA-F]{40}(?![0-9A-Za-z])")
TRON = re.compile(r"(?<![0-9A-Za-z])T[1-9A-HJ-NP-Za-km-z]{33}(?![0-9A-Za-z])")


def _base58check(address: str) -> bytes | None:
    try:
        return bytes(base58.b58decode_check(address))
    except ValueError:
        return None


def btc_address(text: str) -> str | None:
    """A Bitcoin address as written (bech32 lower-cased) when its checksum verifies, else None."""
    if text[:3].lower() == "bc1":
        if text != text.lower() and text != text.upper():
            return None  # bech32 forbids mixed case
        low = text.lower()
        version, program = bech32.decode("bc", low)
        return low if version is not None and program is not None else None
    if text[:1] in "13":
        raw = _base58check(text)
        return text if raw is not None and len(raw) == 21 and raw[0] in (0x00, 0x05) else None
    return None


def eth_address(text: str) -> str | None:
    """An Ethereum address in its EIP-55 checksummed form when valid, else None.

    Mixed case must match the EIP-55 checksum; all-lower and all-upper addresses carry none and are valid.
    """
    if not ETH.fullmatch(text):
        return None
    hexpart = text[2:]
    digest = keccak(hexpart.lower().encode("ascii")).hex()
    checksummed = "".join(
        c.upper() if int(d, 16) >= 8 else c for c, d in zip(hexpart.lower(), digest[:40], strict=True)
    )
    if hexpart not in (hexpart.lower(), hexpart.upper()) and hexpart != checksummed:
        return None
    return "0x" + checksummed


def tron_address(text: str) -> str | None:
    """A TRON address when its Base58Check checksum and 0x41 version byte verify, else None."""
    raw = _base58check(text) if text.startswith("T") else None
    return text if raw is not None and len(raw) == 21 and raw[0] == 0x41 else None


def find_wallets(text: str) -> list[tuple[str, str, str]]:
    """Every checksum-valid wallet address in `text`, as (kind, normalised address, address as written);
    kind is btc, eth or tron. Look-alikes whose checksum fails are left out."""
    out: list[tuple[str, str, str]] = []
    for kind, pattern, check in (
        ("btc", BTC_BECH32, btc_address),
        ("btc", BTC_LEGACY, btc_address),
        ("eth", ETH, eth_address),
        ("tron", TRON, tron_address),
    ):
        for m in pattern.finditer(text):
            value = check(m.group(0))
            if value is not None:
                out.append((kind, value, m.group(0)))
    return out
