"""Pieces shared by the domain apps and the website and API; see apps.CommonConfig."""
