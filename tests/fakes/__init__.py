"""Local stand-ins for outside services, for offline tests."""
