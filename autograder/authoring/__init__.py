"""Authoring tools: the one build (``python -m autograder.authoring build``), the notebook
cells, package strip, expected values, release.

See ``autograder/authoring/README.md`` for the notebook source format and the guide to
adding a task.
"""
