"""Guards the Python child processes of the tests (found on PYTHONPATH; see guard.py)."""

import guard

guard.install()
