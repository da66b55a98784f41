#!/usr/bin/env python3
"""Prints the hex test vectors of firmware/PROTOCOL.md (frames as they travel on the wire).

Independent of the C and C# code on purpose: zlib's CRC-32 and a COBS written from the
paper's definition, so that both implementations are checked against a third one.
"""
import struct, zlib

def cobs(data: bytes) -> bytes:
    out, block = bytearray(), bytearray()
    for b in data:
        if b == 0:
            out.append(len(block) + 1); out += block; block = bytearray()
        else:
            block.append(b)
            if len(block) == 254:
                out.append(255); out += block; block = bytearray()
    out.append(len(block) + 1); out += block
    return bytes(out)

def frame(kind: int, seq: int, status: int, payload: bytes) -> bytes:
    hdr = struct.pack("<BBHBBH", 1, kind, seq, status, 0, len(payload))
    body = hdr + payload
    return cobs(body + struct.pack("<I", zlib.crc32(body))) + b"\x00"

vectors = [
    ("IDENTIFY request, seq 1", frame(0x01, 1, 0, b"")),
    ("IDENTIFY response, seq 1 (protocol 1, fw 0.1, 168 MHz, 65536 flash, 32768 arena, chunk 1024, window 4, no model, board \"sim\")",
     frame(0x81, 1, 0, struct.pack("<HHIIIHHIIB", 1, 0x0001, 168_000_000, 65536, 32768, 1024, 4, 0, 0, 3) + b"sim")),
    ("MODEL_BEGIN request, seq 2, size 8, crc32 of 00..07", frame(0x10, 2, 0, struct.pack("<II", 8, zlib.crc32(bytes(range(8)))))),
    ("MODEL_CHUNK request, seq 3, offset 0, data 00..07", frame(0x11, 3, 0, struct.pack("<I", 0) + bytes(range(8)))),
    ("RUN request, seq 4, n=10, flags=1", frame(0x21, 4, 0, struct.pack("<IB", 10, 1))),
    ("NAK response to RUN, seq 4, status 8 (NO_MODEL)", frame(0xA1, 4, 8, b"")),
    ("NAK for a frame that failed its CRC (seq 0xFFFF, kind 0xFF, status 1)", frame(0xFF, 0xFFFF, 1, b"")),
]
if __name__ == "__main__":
    for name, v in vectors:
        print(f"- {name}:\n  `{v.hex(' ')}`")
