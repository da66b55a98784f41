#!/usr/bin/env python3
"""Splits a Cortex-M image's text/data/bss by origin, from the GNU ld map file:
core = protocol + loader + runtime (firmware/core/*.c), kernels (firmware/core/kernels/*.c),
port = the port's own sources + startup, libc = newlib/libgcc. Only sections kept after
--gc-sections are counted (discarded ones are listed separately in the map).
usage: fw_size.py IMAGE.map [LABEL]"""
import re
import sys

KERNELS = {"kernels", "fully_connected", "conv2d", "max_pool", "global_avg_pool", "clamp", "reshape",
           "add", "lut", "avg_pool", "transpose", "pad", "concat"}
CORE = {"crc32", "cobs", "frame", "protocol", "model", "runtime"}


def category(obj):
    m = re.search(r"\(([^)]+)\.c\.obj\)", obj)
    if m:  # a member of the fwcore library
        name = m.group(1)
        if name in CORE:
            return "core"
        # every other .c in the core library lives under core/kernels
        return "kernels"
    if "libfwcore" in obj:
        return "kernels"
    if re.search(r"lib(c|g|gcc|nosys|c_nano|g_nano)\.a|crt", obj):
        return "libc"
    return "port"


def kind(section):
    if section.startswith((".text", ".rodata", ".isr_vector", ".ARM")):
        return "text"
    if section.startswith(".data"):
        return "data"
    if section.startswith((".bss", "COMMON")):
        return "bss"
    return None


def main():
    path = sys.argv[1]
    label = sys.argv[2] if len(sys.argv) > 2 else path
    lines = open(path).read().split("\n")
    try:
        start = next(i for i, l in enumerate(lines) if l.startswith("Linker script and memory map"))
    except StopIteration:
        sys.exit(f"{path}: not a GNU ld map")
    sizes = {}
    pending = None
    for line in lines[start:]:
        m = re.match(r"^ (\S+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$", line)
        if not m and pending:
            m2 = re.match(r"^\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$", line)
            if m2:
                m = (pending, m2.group(1), m2.group(2), m2.group(3))
        elif m:
            m = m.groups()
        pending = None
        if not m:
            single = re.match(r"^ (\S+)$", line)
            if single:
                pending = single.group(1)
            continue
        section, _addr, size, obj = m
        k = kind(section)
        if k is None or "load address" in obj:
            continue
        c = category(obj)
        sizes[(c, k)] = sizes.get((c, k), 0) + int(size, 16)
    cats = ["core", "kernels", "port", "libc"]
    print(f"{label}")
    print(f"  {'part':<8} {'text':>8} {'data':>8} {'bss':>8}")
    for c in cats:
        print(f"  {c:<8} {sizes.get((c, 'text'), 0):>8} {sizes.get((c, 'data'), 0):>8} {sizes.get((c, 'bss'), 0):>8}")
    tot = [sum(sizes.get((c, k), 0) for c in cats) for k in ("text", "data", "bss")]
    # ld lists mergeable string sections (.rodata.*.str1.*) at their size before duplicate
    # strings are merged; the output sections' sizes are the truth, so show the difference.
    out = {}
    for line in lines[start:]:
        m = re.match(r"^\.(text|ARM\.exidx|data|bss)\s+0x[0-9a-f]+\s+0x([0-9a-f]+)", line)
        if m:
            k = {"text": "text", "ARM.exidx": "text", "data": "data", "bss": "bss"}[m.group(1)]
            out[k] = out.get(k, 0) + int(m.group(2), 16)
    if out:
        corr = [out.get(k, 0) - t for k, t in zip(("text", "data", "bss"), tot)]
        if any(corr):
            print(f"  {'merged':<8} {corr[0]:>8} {corr[1]:>8} {corr[2]:>8}   (duplicate strings merged by ld)")
        tot = [t + c for t, c in zip(tot, corr)]
    print(f"  {'total':<8} {tot[0]:>8} {tot[1]:>8} {tot[2]:>8}")


main()
