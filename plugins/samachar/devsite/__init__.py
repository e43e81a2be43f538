"""Replay India News site for tests, benchmarks and the demo (``samachar devsite``)."""

from samachar.devsite.catalogue import CatalogueEntry, Related, build_catalogue
from samachar.devsite.render import render_article
from samachar.devsite.server import DevSite, PlannedFault, serve_forever

__all__ = ["CatalogueEntry", "DevSite", "PlannedFault", "Related", "build_catalogue", "render_article", "serve_forever"]
