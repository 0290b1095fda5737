"""reelforge: turn a script into a finished MP4 with voice, music and captions."""

__version__ = "0.1.0"
