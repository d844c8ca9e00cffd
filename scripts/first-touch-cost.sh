#!/usr/bin/env bash
# What first-touched memory costs on this machine: maps SIZE MiB of fresh
# anonymous memory (on 2 MiB pages, or 4 KiB with --small-pages), writes one
# byte per 4 KiB page and times it, then times a second pass over the same,
# already-resident pages. On a bare machine the first pass runs at several
# GB/s; on a virtual machine whose host takes free memory back (virtio-balloon
# free page reporting), memory the guest has not used for a while can cost the
# host's work on its first touch, at a few hundred MB/s (docs/peers.md, "Fresh
# memory"). Every entmc figure in CPU seconds pays this for its fresh pages,
# as system time: run this before comparing runs across sessions.
#
#   scripts/first-touch-cost.sh [--small-pages] [SIZE_MIB]   (default 1024)
set -euo pipefail
pages=huge
if [ "${1:-}" = --small-pages ]; then pages=small; shift; fi
size=${1:-1024}
case "$size" in '' | *[!0-9]*) echo "first-touch-cost: SIZE_MIB must be a whole number of MiB, not '$size'" >&2; exit 2 ;; esac
if [ "${#size}" -gt 6 ] || [ "$size" -lt 16 ] || [ "$size" -gt 16384 ]; then
  echo "first-touch-cost: SIZE_MIB must be 16-16384 (got $size)" >&2
  exit 2
fi
# Never more than half of the memory available now: a probe must not push
# the machine into reclaim (or the OOM killer) to measure it.
avail=$(awk '$1 == "MemAvailable:" { print int($2 / 1024); exit }' /proc/meminfo 2>/dev/null || echo 0)
if [ "${avail:-0}" -gt 0 ] && [ "$size" -gt $((avail / 2)) ]; then
  echo "first-touch-cost: $size MiB is more than half of the $avail MiB available now" >&2
  exit 2
fi
exec python3 - "$size" "$pages" <<'PY'
import mmap, sys, time
size, pages = int(sys.argv[1]) << 20, sys.argv[2]
m = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
m.madvise(mmap.MADV_HUGEPAGE if pages == "huge" else mmap.MADV_NOHUGEPAGE)
def touch():
    t = time.perf_counter()
    for i in range(0, size, 4096):
        m[i] = 1
    return time.perf_counter() - t
first, second = touch(), touch()
mib = size >> 20
lines = [f"{mib} MiB on {'2 MiB' if pages == 'huge' else '4 KiB'} pages: first touch {first:.3f} s "
         f"({mib / first:,.0f} MiB/s); again {second:.3f} s ({mib / second:,.0f} MiB/s)"]
try:
    order = open("/sys/module/page_reporting/parameters/page_reporting_order").read().strip()
    lines.append(f"free page reporting: on, free blocks of order {order} and up "
                 f"({4 << int(order)} KiB) are handed back to the host")
except OSError:
    lines.append("free page reporting: not found (/sys/module/page_reporting)")
try:
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()
except BrokenPipeError:  # | head -1
    pass
PY
