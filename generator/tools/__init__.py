"""Editor commands around the build: `check --explain` (explain.py), `new` (new.py) and `serve`
(serve.py, with the live-reload script). They run the pipeline; none has one of its own.
"""
