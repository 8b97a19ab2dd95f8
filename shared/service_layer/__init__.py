"""Application services shared by the writers: load a case, decide, append, remember."""

from shared.service_layer.case_commands import CaseCommandHandler, CommandResult, StaleVersion
from shared.service_layer.case_repository import CaseRepository, LoadedCase

__all__ = ["CaseCommandHandler", "CaseRepository", "CommandResult", "LoadedCase", "StaleVersion"]
