"""Write line features to a GeoPackage (OGC GPKG) through GDAL, via pyogrio.

The file is written to a temporary name in the target folder and moved into place, so a
failure never leaves half a GeoPackage behind.
"""

from __future__ import annotations

import os
import struct
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from caspian.errors import ValidationError

__all__ = ["line_wkb", "write_lines_gpkg"]

WGS84_WKT = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],'
    'PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433],AXIS["Latitude",NORTH],'
    'AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]'
)


def line_wkb(coords: Sequence[Sequence[float]]) -> bytes:
    """Little-endian WKB of a 2-D LineString.

    Examples
    --------
    >>> line_wkb([(0.0, 0.0), (1.0, 2.0)]).hex()[:18]
    '010200000002000000'
    """
    out = struct.pack("<BII", 1, 2, len(coords))
    for x, y in coords:
        out += struct.pack("<dd", float(x), float(y))
    return out


def write_lines_gpkg(
    path: str | os.PathLike[str],
    features: Sequence[Mapping[str, Any]],
    *,
    layer: str,
) -> None:
    """Write GeoJSON-like LineString features (``geometry`` + ``properties``) to ``path``.

    Property columns are those of the first feature; numbers stay numbers, ``None`` is null.

    Raises
    ------
    ValidationError
        No features to write, or GDAL refusing the file (the message says why).
    """
    import pyogrio.raw

    if not features:
        raise ValidationError("nothing to write: no link carries freight")
    names = list(features[0]["properties"])
    geometry = np.array([line_wkb(f["geometry"]["coordinates"]) for f in features], dtype=object)
    columns = []
    masks = []
    for name in names:
        values = [f["properties"].get(name) for f in features]
        numeric = all(v is None or isinstance(v, int | float) for v in values)
        if numeric:
            arr = np.array([np.nan if v is None else float(v) for v in values])
        else:
            arr = np.array(["" if v is None else str(v) for v in values], dtype=object)
        columns.append(arr)
        masks.append(np.array([v is None for v in values]))
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=".caspian-", suffix=".gpkg", dir=target.parent)
    os.close(fd)
    os.unlink(tmp)  # GDAL creates the file itself
    try:
        pyogrio.raw.write(
            tmp,
            geometry,
            columns,
            names,
            field_mask=masks,
            layer=layer,
            driver="GPKG",
            geometry_type="LineString",
            crs=WGS84_WKT,
        )
        os.replace(tmp, target)
    except Exception as exc:  # GDAL's errors come in several types; all mean the same here
        raise ValidationError(f"could not write the GeoPackage {target}: {exc}") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
