"""Simulators of the four source APIs (Troyansys, SmartPyme, SERPI, Arrendasoft) plus a control interface.

Entry points: `pipeline.simulator.command.simulate` (click), `pipeline.simulator.server.serve`,
`pipeline.simulator.testing.start_simulator` (tests).
"""
