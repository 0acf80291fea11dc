"""City-scale benchmarks (issue 8): ``python -m bench --help``.

``generate`` builds a deterministic dataset drawn from Boston's real 311
distributions, ``scenarios`` times the site's hot paths against baselines
measured in the same run, ``run`` is the command line that picks the database,
and writes ``bench/results/*.json``. See docs/performance.md.
"""
