#!/usr/bin/env python3
"""Prints each failed test of the given .trx files: its name, then the start of its message and stack trace.

scripts/test.sh prints this just before its closing line, so a log that keeps only its tail (as CI's does) still says
which test failed and why, however long the test's own output was.
"""
import sys
import xml.etree.ElementTree as ElementTree

LIMIT = 4000  # characters of one test's message and stack trace

NAMESPACE = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}

failures = 0
for path in sys.argv[1:]:
    try:
        root = ElementTree.parse(path).getroot()
    except (ElementTree.ParseError, OSError) as error:
        print(f"{path}: could not be read ({error})")
        continue
    for result in root.iterfind(".//t:Results/t:UnitTestResult", NAMESPACE):
        if result.get("outcome") != "Failed":
            continue
        failures += 1
        message = result.findtext("t:Output/t:ErrorInfo/t:Message", default="", namespaces=NAMESPACE).strip()
        trace = result.findtext("t:Output/t:ErrorInfo/t:StackTrace", default="", namespaces=NAMESPACE).strip()
        text = message + ("\n" + trace if trace else "")
        if len(text) > LIMIT:
            text = text[:LIMIT] + f"\n... ({len(text) - LIMIT} more characters in {path})"
        print(f"--- FAILED {result.get('testName')} ({result.get('duration')})")
        print(text)

if failures:
    print(f"--- {failures} failed test(s) above")
