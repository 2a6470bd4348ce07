"""Credentials and small helpers for the simulator contract tests."""

import json
from decimal import Decimal

import httpx

TROY_ACME = {"X-API-Key": "tro-acme-3f9a1c7e55d2"}
TROY_ANDINA = {"Authorization": "Bearer tro-andina-user-7b2d40aa", "X-Company-Id": "2"}
TROY_LIMITADA = {"X-API-Key": "tro-limitada-91ce0d3a"}
SPY_TIENDA = {"Authorization": "Bearer spy-tienda-5e8d21c9f0"}
SERPI_CONTABLE = {"secretkey": "serpi-secret-contable-4411ab", "Authorization": "Bearer serpi-token-contable-9d2e6f"}
ARR_FIXED = {"Authorization": "Bearer arr-fixed-token-6f1b93"}
ALL_TYPES = [1, 2, 3, 4, 5, 6, 7, 15, 16]


def exact(response: httpx.Response):
    return json.loads(response.content, parse_float=Decimal)
