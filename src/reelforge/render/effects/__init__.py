"""Visual effects, one per file: camera motion, product-overlay animations, transitions."""
