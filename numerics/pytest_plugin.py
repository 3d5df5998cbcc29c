"""pytest plugin registered under the ``pytest11`` entry point (fixtures for user claims).

Placeholder module kept importable; the fixtures are documented in the README section
"Property-test your own claim".
"""
