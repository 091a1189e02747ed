"""Authoring tools: notebook builder, sync, package strip, expected values, release.

See ``autograder/authoring/README.md`` for the notebook format.
"""
