#!/usr/bin/env python3
"""Mutation scores per module from the PIT reports of `mvn -B -Ppit test ...` (README "Tests").

A mutant counts as detected as in PIT's own score (KILLED, TIMED_OUT, RUN_ERROR, MEMORY_ERROR);
chaincode's classes are mutated in two runs (chaincode/ and examples/, see examples/pom.xml), and a
mutant detected in either counts. Usage: scripts/pit-scores.py [--survivors MODULE]
"""
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = {"ledger": ["ledger"], "consensus": ["consensus"], "rest": ["rest"], "devops": ["devops"],
           "chaincode": ["chaincode", "examples"]}
DETECTED = {"KILLED", "TIMED_OUT", "MEMORY_ERROR", "RUN_ERROR", "NON_VIABLE"}


def mutants(report_dirs):
    seen = {}
    for d in report_dirs:
        f = ROOT / d / "target" / "pit-reports" / "mutations.xml"
        if not f.exists():
            continue
        for m in ET.parse(f).getroot():
            key = (m.findtext("mutatedClass"), m.findtext("mutatedMethod"), m.findtext("methodDescription"),
                   m.findtext("mutator"), ",".join(i.text for i in m.iter("index")), m.findtext("lineNumber"))
            detected = m.get("status") in DETECTED
            prev = seen.get(key)
            if prev is None or (detected and not prev[0]):
                seen[key] = (detected, m)
    return seen


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--survivors":
        for (detected, m) in mutants(MODULES[sys.argv[2]]).values():
            if not detected:
                print(m.get("status"), m.findtext("mutatedClass").rsplit(".", 1)[-1], m.findtext("mutatedMethod"),
                      m.findtext("lineNumber"), m.findtext("description"))
        return
    print("| module | mutants | detected | score |")
    print("|---|---|---|---|")
    for name, dirs in MODULES.items():
        all_ = mutants(dirs)
        if not all_:
            print(f"| {name} | no report | | |")
            continue
        det = sum(1 for d, _ in all_.values() if d)
        print(f"| {name} | {len(all_)} | {det} | {100.0 * det / len(all_):.0f} % |")


if __name__ == "__main__":
    main()
