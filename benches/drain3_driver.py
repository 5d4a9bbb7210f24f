#!/usr/bin/env python3
"""Times Drain3 (PyPI `drain3`) on a text file, one message per line: the
comparison run of benches/templates_vs_drain3.sh.

    python3 benches/drain3_driver.py FILE [--mask]

Uses Drain3's default configuration (similarity 0.4, depth 4, no
persistence) and, by default, no masking; `--mask` adds the usual masking
instructions (IPs, hex, numbers) that `logs` does in its tokeniser. Feeds
every non-blank line to TemplateMiner.add_log_message and prints one line:
messages, clusters, seconds (reading included, like the `logs templates`
run it is compared with) and messages per second.
"""

import importlib.metadata
import sys
import time

from drain3 import TemplateMiner
from drain3.masking import MaskingInstruction
from drain3.template_miner_config import TemplateMinerConfig

BOUNDED = r"((?<=[^A-Za-z0-9])|^)({})((?=[^A-Za-z0-9])|$)"
MASKS = [
    (r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}", "IP"),
    (r"0x[a-f0-9A-F]+", "HEX"),
    (r"[\-\+]?\d+", "NUM"),
]


def main() -> int:
    args = [a for a in sys.argv[1:] if a != "--mask"]
    mask = "--mask" in sys.argv[1:]
    if len(args) != 1:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    config = TemplateMinerConfig()
    if mask:
        config.masking_instructions = [
            MaskingInstruction(BOUNDED.format(p), name) for p, name in MASKS
        ]
    start = time.perf_counter()
    miner = TemplateMiner(config=config)
    n = 0
    with open(args[0], encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if line.strip():
                miner.add_log_message(line)
                n += 1
    secs = time.perf_counter() - start
    version = importlib.metadata.version("drain3")
    print(
        f"drain3 {version}{' --mask' if mask else ''}: {n} messages, {len(miner.drain.clusters)} clusters, "
        f"{secs:.2f} s, {n / secs:,.0f} msgs/s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
