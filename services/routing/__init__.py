"""Routing: the county's dispatcher — places every case in transit at its next node."""
