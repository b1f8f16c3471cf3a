"""The web layer: the application factory, security, the one error handler, the JSON API and the dashboard.

The only code that knows HTTP; it parses requests, calls one domain function and shapes the answer.
"""
