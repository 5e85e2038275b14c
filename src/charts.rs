//! Charts as SVG strings (plotters, SVG backend: no fonts needed).
