"""The site: controllers loaded through the publish gate, the MkDocs plugin, the site folder's guard."""
