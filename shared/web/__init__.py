"""HTTP plumbing shared by the FastAPI services: errors, limits, actors, health."""
