"""In-silico trials: a TOML spec → virtual population, randomised arms, visits, endpoints, statistics, report.

``irsim.trials.spec.load_spec`` reads a spec, ``irsim.trials.runner.run_trial`` runs it (``irsim trial``).
"""
