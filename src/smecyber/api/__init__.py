"""The JSON API (django-ninja): token authentication, exactly the permissions of the UI."""
