"""notte-ext: a careful Python client for the Notte API, built on the generated ``notte_api_client``."""

__all__: list[str] = []
