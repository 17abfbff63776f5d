"""How diagnosis reads text fast: chunked sources, one literal prefilter, the per-line scan."""
