"""The REST API server (`reelforge serve`): FastAPI app, routes, render job coordinator."""
