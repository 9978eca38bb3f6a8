"""The audit's commands: argparse in, the pipeline called, an exit code out."""
