"""Judge recorded observations against the declared model: findings, by family."""
