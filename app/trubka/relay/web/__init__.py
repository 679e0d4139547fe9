"""Pages the relay serves to browsers: server-rendered (Jinja2) with a little plain
JavaScript, no external fonts, scripts or CDNs (the relay may have no internet)."""
