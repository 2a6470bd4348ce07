"""Benchmarks of the pipeline against the simulators: `make bench` (`python -m bench.run`)."""
