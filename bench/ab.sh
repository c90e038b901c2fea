#!/usr/bin/env bash
# Two (or more) versions of Nextup on one bench site, alternated: a full build, then a refresh
# six hours later, for each checkout in turn, RUNS times. Wall and CPU time of each.
#   python bench/generate.py 10000 /dev/shm/b10k        # tmpfs: the disk's noise left out
#   bench/ab.sh /dev/shm/b10k 2 /path/to/old-checkout /path/to/new-checkout
set -euo pipefail
site=$1; runs=$2; shift 2
python=${PYTHON:-$(cd "$(dirname "$0")/.." && pwd)/.venv/bin/python}
unset PYTHONDONTWRITEBYTECODE  # compiled modules kept, as a normal installation has them
cd "$site"
for _ in $(seq "$runs"); do
  for tree in "$@"; do
    rm -rf out .nextup-cache
    for step in full:2027-01-20T12:00:00Z refresh:2027-01-20T18:00:00Z; do
      /usr/bin/time -f "$tree ${step%%:*}: %e s wall, %U s user, %S s system" \
        "$python" "$tree/build.py" build --content nextup --output out --now "${step#*:}" \
        2>&1 >/dev/null | grep -E " s wall"
    done
  done
done
