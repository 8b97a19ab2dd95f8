"""Audit settings (``LIANDONG_AUDIT_*``), read at start-up like every other setting."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class AuditSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LIANDONG_AUDIT_", extra="ignore")

    signing_key: Path | None = None  # PEM file; empty: <data dir>/audit/signing_key.pem, created on start
    checkpoint_every: int = 1000  # sign a checkpoint every N ledger entries …
    checkpoint_interval_s: float = 3600.0  # … and at least this often while entries arrive

    def key_path(self, data_dir: Path) -> Path:
        return self.signing_key or data_dir / "audit" / "signing_key.pem"

    def creates_key(self) -> bool:
        """Only the embedded default makes its own key; a configured path must already exist."""
        return self.signing_key is None
