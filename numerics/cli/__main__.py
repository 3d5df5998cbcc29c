"""``python -m numerics.cli`` runs the featurecheck command line."""

from numerics.cli import run

run()
