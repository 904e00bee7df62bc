"""The JSON API under ``/api/v1``: thin views over the services, with one permission per route.

The composition root (``server.create_app``) registers ``assist_api.blueprints.BLUEPRINTS``; nothing here builds
an engine or a database, and nothing here imports the pages.
"""
