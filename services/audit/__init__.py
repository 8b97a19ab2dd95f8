"""Audit: the supervision ledger — every event verified and chained, replay and verification."""
