from collections.abc import Iterator

import pytest

from sendmediation.localities.coverage import forget_cached_coverage


@pytest.fixture(autouse=True)
def fresh_coverage_cache() -> Iterator[None]:
    """Each test reads coverage from its own database, not from what an earlier test cached."""
    forget_cached_coverage()
    yield
    forget_cached_coverage()
