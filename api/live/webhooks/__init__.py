"""Webhooks: committed changes POSTed, signed, to the urls their owners registered.

models.py (tables), master_key.py and signing.py (secrets), network.py (which addresses
a delivery may reach), service.py (create, delete, list), dispatch.py (changes become
deliveries, matched by api/live/matching.py, the rule subscriptions follow too),
delivery.py (one POST and its outcome), worker.py (the background task every serving
process runs).
"""
