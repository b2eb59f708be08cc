"""Supported employment and work trials: job coaching, employers, placements."""
