"""The pages behind the sidebar."""
