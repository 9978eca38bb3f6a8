"""Earlier runs: the dated run folders, what changed since the last one, several sites per client."""
