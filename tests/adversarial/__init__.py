"""Adversarial and broken submissions for the autograder tests (see catalogue.py)."""
