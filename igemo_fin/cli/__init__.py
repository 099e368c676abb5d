"""The command line, ``python -m igemo_fin``: parse arguments, call the engine, print."""
