"""The weekly roundup: what the exchange shared, asked and answered, posted once a week."""
