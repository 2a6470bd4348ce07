"""The extraction engine: a source description is run over one partition of one endpoint of one connection.

Layers point one way: `pipeline.sources` (descriptions) -> `pipeline.extract` (the engine and its building
blocks) -> `pipeline.config`. Import the modules you need (`pipeline.extract.engine`, `.model`, ...).
"""
