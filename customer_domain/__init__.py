"""The customer domain: the aggregate, its rules, and the merge engine.

Import from the modules themselves. The package imports nothing on its own, so
the client may use the pure modules (``vocabulary``, ``fields``, ``errors``)
without loading the aggregate or the event-sourcing library.
"""
