"""tasks of sugar_import: filled in by its capability issue."""
