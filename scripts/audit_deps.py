"""pip-audit over requirements.txt for CI: fail on a known vulnerability, warn when it cannot tell.

- a pinned dependency with a known vulnerability: exit 1 (CI fails; upgrade the pin);
- the vulnerability service cannot be reached (no network, PyPI or OSV down): a warning on
  stderr and exit 0, so CI is not flaky for reasons outside the project. The warning says how
  many dependencies went unaudited; a scheduled run with network access catches them.

Usage: python scripts/audit_deps.py [requirements files...]   (default: requirements.txt)
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path


def main(argv: list[str]) -> int:
    files = argv or ["requirements.txt"]
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "audit.json"
        args = [sys.executable, "-m", "pip_audit", "--disable-pip", "--no-deps", "--progress-spinner", "off"]
        args += [arg for f in files for arg in ("-r", f)] + ["-f", "json", "-o", str(report)]
        try:
            result = subprocess.run(args, capture_output=True, text=True, timeout=300)
        except subprocess.TimeoutExpired:
            print("audit: WARNING pip-audit timed out; dependencies NOT audited", file=sys.stderr)
            return 0
        if not report.exists():
            print(f"audit: WARNING pip-audit could not run; dependencies NOT audited:\n{result.stderr[-2000:]}", file=sys.stderr)
            return 0
        dependencies = json.loads(report.read_text()).get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    skipped = [d for d in dependencies if d.get("skip_reason")]
    for dep in vulnerable:
        ids = ", ".join(
            v["id"] + (f" (fixed in {', '.join(v['fix_versions'])})" if v.get("fix_versions") else "") for v in dep["vulns"]
        )
        print(f"audit: {dep['name']} {dep.get('version', '')}: {ids}")
    if vulnerable:
        print(f"audit: FAILED, {len(vulnerable)} pinned dependencies have known vulnerabilities", file=sys.stderr)
        return 1
    if skipped:
        print(
            f"audit: WARNING {len(skipped)} of {len(dependencies)} dependencies could not be audited "
            f"(vulnerability service unreachable?), e.g. {skipped[0]['skip_reason']}",
            file=sys.stderr,
        )
        return 0
    print(f"audit: {len(dependencies)} dependencies, no known vulnerabilities")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
