"""Projections: durable pull consumers applying events in batches, checkpoint in the same transaction."""

from shared.projections.base import Projection, Rejected
from shared.projections.runner import ProjectionRunner

__all__ = ["Projection", "ProjectionRunner", "Rejected"]
