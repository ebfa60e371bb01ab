"""Practices: what worked in one city, shared so other cities can adopt it."""
