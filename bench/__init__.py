"""Benchmarks: each module prints figures and ratios against the goals in its issue."""
