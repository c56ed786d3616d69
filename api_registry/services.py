"""services of api_registry: filled in by its capability issue."""
