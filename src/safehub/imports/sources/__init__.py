"""The sources Safehub accepts today; each module registers its own on import."""
