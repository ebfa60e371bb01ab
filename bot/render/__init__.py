"""Renderers: one module per platform turns a neutral message (bot/messages.py) into its format."""
