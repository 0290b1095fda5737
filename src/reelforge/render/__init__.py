"""Rendering: chunk planning and specs, filter graphs, layers, effects, the whole pipeline."""
