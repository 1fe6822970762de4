"""WSGI entry point, used by ``rcf serve`` (gunicorn) and any other WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rcf.settings")
application = get_wsgi_application()

# Each server process reads the registry for the observatory while it starts serving.
from rcf.observatory.selectors import warm_in_background  # noqa: E402

warm_in_background()
