"""The 慰问帮扶 page."""
