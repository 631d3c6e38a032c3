"""The studio's speed benchmark: ``python -m studio.bench [--quick] [--json PATH]``.

Random-weight models with real architectures (timing does not depend on weight values) and the
bundled house model are measured through the studio's own engine, UI and ``app.py``. Offline
and on 127.0.0.1 only. It prints figures and never judges them: there are no thresholds.
"""
