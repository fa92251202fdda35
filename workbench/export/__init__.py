"""Exports of a formulation: graph files, tables, narrative, share-safe copies, step-through pages."""
