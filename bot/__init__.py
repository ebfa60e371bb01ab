"""Roundtable: a Slack bot that keeps mayors and city CIOs talking between meetings."""
