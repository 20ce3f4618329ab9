"""Reports and plots: figures written as PNG or SVG, HTML reports (later issues)."""
