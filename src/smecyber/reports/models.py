# The reports app stores nothing: it reads scans, findings and the catalog.
