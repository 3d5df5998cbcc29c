"""Layer 6, testing: property-test a claim of your own.

The user-claim API (:mod:`.user`), calibrated assertions (:mod:`.assertions`), the Hypothesis driver
(:mod:`.properties`), strategies (:mod:`.strategies`) and the pytest plugin (:mod:`.pytest_plugin`).

May import: :mod:`featurecheck.numerics.claims` and every layer below it, :mod:`featurecheck.theory`,
and this folder.
"""
