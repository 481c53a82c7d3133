"""Keyed pseudonyms (HMAC-SHA256) for NIK, No KK and other personal identifiers.

A plain hash of a NIK can be reversed by hashing every possible NIK (the space is small), so
identifiers are replaced by an HMAC under a secret key kept outside the repository. The HMAC is
computed set-wise inside DuckDB (``Pseudonymiser.sql``) so millions of rows never pass through
Python; ``Pseudonymiser.pseudonymise`` is the same function in Python, for tests and look-ups.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
from collections.abc import Mapping
from pathlib import Path

from tpps.config import PROJECT_ROOT

KEY_ENV = "TPPS_PSEUDONYM_KEY"
KEY_FILE_ENV = "TPPS_PSEUDONYM_KEY_FILE"
DEVELOPMENT_KEY = b"DEVELOPMENT-ONLY-KEY-not-for-real-data"

_BLOCK_SIZE = 64  # SHA-256 block size in bytes (RFC 2104)
_log = logging.getLogger(__name__)


class Pseudonymiser:
    """HMAC-SHA256 under one secret key; the same input always gives the same 64-hex pseudonym."""

    def __init__(self, key: bytes, *, origin: str = "explicit key") -> None:
        if not key:
            raise ValueError("the pseudonym key is empty")
        self.origin = origin
        self._key = key
        block = hashlib.sha256(key).digest() if len(key) > _BLOCK_SIZE else key
        block = block.ljust(_BLOCK_SIZE, b"\0")
        self._inner_pad_hex = bytes(b ^ 0x36 for b in block).hex()
        self._outer_pad_hex = bytes(b ^ 0x5C for b in block).hex()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Pseudonymiser:
        """Key from ``TPPS_PSEUDONYM_KEY``, else the file named by ``TPPS_PSEUDONYM_KEY_FILE``.

        Without either, a clearly named development key is used and a warning says so: pseudonyms
        made with it are not protected and must never be used for real data.
        """
        if environ.get(KEY_ENV):
            return cls(environ[KEY_ENV].encode("utf-8"), origin=f"${KEY_ENV}")
        if environ.get(KEY_FILE_ENV):
            path = Path(environ[KEY_FILE_ENV]).expanduser().resolve()
            if path.is_relative_to(PROJECT_ROOT):
                raise ValueError(
                    f"{KEY_FILE_ENV} points inside the repository ({path}); keep the pseudonym "
                    "key outside it so it can never be committed"
                )
            return cls(path.read_bytes().strip(), origin=f"file ${KEY_FILE_ENV}")
        _log.warning(
            "Neither %s nor %s is set: using the DEVELOPMENT-ONLY pseudonym key. Pseudonyms made "
            "with it are not protected; never ingest real data this way.",
            KEY_ENV,
            KEY_FILE_ENV,
        )
        return cls(DEVELOPMENT_KEY, origin="development key")

    @property
    def is_development_key(self) -> bool:
        return hmac.compare_digest(self._key, DEVELOPMENT_KEY)

    @property
    def fingerprint(self) -> str:
        """A short, non-reversible id of the key, so rows pseudonymised under another key show."""
        return self.pseudonymise("tpps key fingerprint")[:12]

    def sql(self, text_expression: str) -> str:
        """DuckDB expression for the HMAC of ``text_expression`` (VARCHAR; NULL stays NULL).

        The expression embeds the padded key: use it in queries, never in a persisted view or
        macro, log line or asset metadata.
        """
        inner = f"unhex(sha256(unhex('{self._inner_pad_hex}') || encode({text_expression})))"
        return f"sha256(unhex('{self._outer_pad_hex}') || {inner})"

    def pseudonymise(self, value: str) -> str:
        """The same HMAC in Python (hex digest of the UTF-8 bytes of ``value``)."""
        return hmac.new(self._key, value.encode("utf-8"), hashlib.sha256).hexdigest()

    def __repr__(self) -> str:
        return f"Pseudonymiser({self.origin}, fingerprint {self.fingerprint})"
