"""Settings, read from the environment at start-up (never at import)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LIANDONG_", extra="ignore")

    nats_url: str = "nats://127.0.0.1:4223"
    nats_user: str = ""
    nats_password: str = ""
    nats_manage_streams: bool = True  # false where the NATS user may not create streams (deploy/)
    database_url: str = Field(
        default="", validation_alias=AliasChoices("DATABASE_URL", "LIANDONG_DATABASE_URL")
    )
    data_dir: Path = Path("var")
    catalog_path: Path | None = None
    org_path: Path | None = None
    holiday_dir: Path | None = Path("config/holidays")
    trace_exporter: str = "none"
    log_level: str = "INFO"
    log_format: Literal["json", "text"] = "json"
    host: str = "127.0.0.1"
    intake_port: int = 8001
    node_port: int = 8002
    routing_port: int = 8003
    audit_port: int = 8004
    stream_replicas: int = 1
    projection_batch: int = 1024
    max_body_bytes: int = 64 * 1024
    auth_secret: str = Field(default="", repr=False)  # HMAC key of session tokens; `liandong run` makes one
    auth_token_hours: float = 10.0  # a session lasts one working day
    auth_cookie_secure: bool = False  # True behind HTTPS: the session cookie is then sent over HTTPS only
    intake_url: str = ""  # where the node workbench reaches intake; empty: http://<host>:<intake_port>

    def intake_base_url(self) -> str:
        if self.intake_url:
            return self.intake_url.rstrip("/")
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host
        return f"http://{host}:{self.intake_port}"
