"""Landing: atomic page files and manifests, and loading them into the raw schema."""
