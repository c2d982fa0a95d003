"""Interim main job until the CLI lands: show which API operations the generated client exposes."""

import pkgutil

import notte_api_client.api.functions as functions

if __name__ == "__main__":
    for module in pkgutil.iter_modules(functions.__path__):
        print(f"notte_api_client.api.functions.{module.name}")
