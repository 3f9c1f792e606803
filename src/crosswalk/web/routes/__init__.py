"""Routers of the web app: pages for people, ``/api`` for programs, ``/docs`` for both."""
