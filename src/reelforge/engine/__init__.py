"""Engines run chunk tasks: a local pool of FFmpeg processes, or a Ray cluster."""

from reelforge.engine.base import Engine, make_engine

__all__ = ["Engine", "make_engine"]
