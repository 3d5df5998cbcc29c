"""Statistical quality of the checker itself (false alarms, power), like Hypothesis's tests/quality."""
