"""Questions: mayors ask in the channel, the exchange answers, nothing is forgotten."""
