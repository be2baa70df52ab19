"""Use cases shared by the command line and the web API (thin: load, call engines, shape).

The layer above the scenarios: it may load tables and apply scenarios, and it returns plain
data (dicts, result objects) that ``caspian.cli`` prints and ``caspian.api`` serves.
"""
