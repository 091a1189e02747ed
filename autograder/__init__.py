"""Instructor tooling built on nbgrader: release, collect, grade in isolation, feedback, export."""
