"""Resolve a project into a timeline: durations, frames, assets, narration, captions."""
