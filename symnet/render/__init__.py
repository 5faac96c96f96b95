"""Rendering: LaTeX (and later documents and plots)."""
