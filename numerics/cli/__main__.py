"""``python -m featurecheck.numerics.cli`` runs the featurecheck command line."""

from featurecheck.numerics.cli import run

run()
