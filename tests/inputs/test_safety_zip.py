"""igemo_fin.inputs.safety_zip: zip bombs refused from the directory, lying parts while inflating."""

from __future__ import annotations

import io
import os
import zipfile
import zlib

import pytest

import igemo_fin.inputs.safety_zip as safety_zip
from igemo_fin.errors import FileRefused
from igemo_fin.inputs.filesafety import check_upload
from ledger_files import minimal_xlsx, patch_declared_size, rezip, upload_refusal as refusal


class TestZipBombs:
    def test_high_compression_ratio(self):
        # 60 MiB of zeros deflate to ~60 KiB: ratio ~1000 > 100
        bomb = rezip(minimal_xlsx(), add={"xl/media/zeros.bin": b"\0" * (60 * 1024 * 1024)})
        assert len(bomb) < 200_000
        reason = refusal(bomb, "x.xlsx")
        assert "zipbom" in reason and "'xl/media/zeros.bin'" in reason

    def test_too_many_entries(self):
        bomb = rezip(minimal_xlsx(), add={f"xl/extra/{i}.txt": b"x" for i in range(1000)})
        assert "onderdelen (grens 1000)" in refusal(bomb, "x.xlsx")

    def test_total_unpacked_size(self, monkeypatch):
        # the limit (512 MB) scaled down so the test file stays small: 3 parts of 400 KB, ratio < 100
        monkeypatch.setattr(safety_zip, "MAX_UNCOMPRESSED_TOTAL", 1024 * 1024)
        part = os.urandom(200_000).hex().encode()  # 400 KB, ratio ~2
        bomb = rezip(minimal_xlsx(), add={f"xl/media/{i}.bin": part for i in range(3)})
        assert "uitgepakt" in refusal(bomb, "x.xlsx")

    def test_directory_that_lies_about_the_size(self):
        # the directory declares 1,000 bytes for a part that unpacks to 2 MiB (ratio check passes)
        data = rezip(minimal_xlsx(), add={"xl/media/big.bin": os.urandom(1024 * 1024).hex().encode()})
        lying = patch_declared_size(data, "xl/media/big.bin", 1000)
        assert "groter uit dan opgegeven" in refusal(lying, "x.xlsx")

    def test_unknown_compression_method(self):
        data = rezip(minimal_xlsx(), compression=zipfile.ZIP_BZIP2)
        assert "compressiemethode 12" in refusal(data, "x.xlsx")

    def test_duplicate_part_names(self):
        with pytest.warns(UserWarning):
            data = rezip(minimal_xlsx(), add={"xl/workbook.xml": "<workbook/>"})
        assert "twee keer" in refusal(data, "x.xlsx")

    def test_bad_crc(self):
        data = bytearray(minimal_xlsx())
        with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
            info = z.getinfo("xl/styles.xml")
        # flip the CRC stored in the central directory for that part
        pos = data.find(b"PK\x01\x02" , data.find(b"PK\x01\x02"))
        while True:
            name_len = int.from_bytes(data[pos + 28:pos + 30], "little")
            if data[pos + 46:pos + 46 + name_len] == b"xl/styles.xml":
                break
            pos = data.find(b"PK\x01\x02", pos + 4)
        data[pos + 16:pos + 20] = ((info.CRC ^ 0xFFFF) & 0xFFFFFFFF).to_bytes(4, "little")
        assert "CRC" in refusal(bytes(data), "x.xlsx")


def test_zip_bomb_reference_not_inflated_for_directory_checks(monkeypatch):
    """The ratio and count limits use the central directory only: no inflation happens."""
    bomb = rezip(minimal_xlsx(), add={"xl/media/zeros.bin": b"\0" * (20 * 1024 * 1024)})
    calls = []
    real = zlib.decompressobj
    monkeypatch.setattr(safety_zip.zlib, "decompressobj", lambda *a: calls.append(a) or real(*a))
    with pytest.raises(FileRefused):
        check_upload(bomb, "x.xlsx")
    assert calls == []
