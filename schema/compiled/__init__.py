"""Read queries compiled to one SQL statement that builds the whole JSON `data`."""

from schema.compiled.extension import CompiledReads

__all__ = ["CompiledReads"]
