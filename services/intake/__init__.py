"""Intake (一门受理): catalog and guides, submission from every channel, notices, acceptance."""
