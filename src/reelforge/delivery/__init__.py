"""Delivery: the outputs made from one render besides its MP4 (HLS ladder, WebM, GIF, MP3)."""
