"""Who is asking: the client's address, the same for the login throttle and the rate limits."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The visitor's address, for the login throttle and the rate limits.

    Behind a reverse proxy every request comes from the proxy: ``RCF_CLIENT_IP_HEADER``
    (for instance ``HTTP_X_FORWARDED_FOR``) names the header the proxy sets, whose last
    address is the one the proxy saw. Without it, ``REMOTE_ADDR``.
    """
    header = settings.RCF_CLIENT_IP_HEADER
    if header:
        forwarded = request.META.get(header, "")
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if addresses:
            return addresses[-1]
    return request.META.get("REMOTE_ADDR")


def normalise_ip(raw: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address(raw or ""))
    except ValueError:
        return None
