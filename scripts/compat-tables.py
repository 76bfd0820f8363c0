#!/usr/bin/env python3
"""Regenerates the operation tables of docs/compatibility.md from the AWS models.

Usage: scripts/compat-tables.py [models-dir]   (default ../shared/aws-models, from the repository root)

For each served service, every operation of its model gets one row: "served" or "partly" when the server dispatches
it (found as a `"Name" =>` switch case or an `On("Name", ...)` registration under src/Cairn.Server/Services/<dir>/),
"not served" otherwise. The notes ("what differs") already in the document are kept; a row that was "partly" stays
"partly". Sections missing from the document are appended. Tests: Cairn.Server.Tests' CompatibilityDocTests check
that every dispatched operation is listed as served or partly.
"""
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, "docs", "compatibility.md")

# (heading, model directories, server source directories, intro for a new section)
SERVICES = [
    ("IAM", ["iam"], ["Iam"], None),
    ("KMS", ["kms"], ["Kms"], None),
    ("SSM", ["ssm"], ["Ssm"], None),
    ("STS", ["sts"], ["Sts"], None),
    ("Secrets Manager", ["secretsmanager"], ["SecretsManager"], None),
    ("CloudWatch Logs", ["logs"], ["Logs"], None),
    ("CodeBuild", ["codebuild"], ["CodeBuild"],
     "Model `codebuild/service-2.json` (JSON 1.1, `CodeBuild_20161006`). Each operation is authorized as `codebuild:<Action>` "
     "on the project's (or report group's) ARN. Details: `docs/dev/codebuild.md`; the report operations' differences are in "
     "\"CodeBuild: test reports\" below."),
    ("CodePipeline", ["codepipeline"], ["CodePipeline"],
     "Model `codepipeline/service-2.json` (JSON 1.1, `CodePipeline_20150709`). Each operation is authorized as "
     "`codepipeline:<Action>` on the pipeline's ARN. Details: `docs/dev/codepipeline.md`."),
    ("CodeStar connections and CodeConnections", ["codestar-connections", "codeconnections"], ["CodeConnections"],
     "Models `codestar-connections/service-2.json` and `codeconnections/service-2.json` (JSON 1.0): one service answers "
     "both target prefixes, authorized as `codestar-connections:<Action>` or `codeconnections:<Action>`."),
]


def model_operations(models, names):
    ops = set()
    for name in names:
        with open(os.path.join(models, name, "service-2.json"), encoding="utf-8") as f:
            ops.update(json.load(f)["operations"].keys())
    return sorted(ops)


def dispatched(dirs, known):
    found = set()
    for d in dirs:
        base = os.path.join(ROOT, "src", "Cairn.Server", "Services", d)
        for dirpath, _, files in os.walk(base):
            for file in files:
                if file.endswith(".cs"):
                    text = open(os.path.join(dirpath, file), encoding="utf-8").read()
                    found.update(re.findall(r'"([A-Z]\w+)"\s*=>', text))
                    found.update(re.findall(r'\bOn\("([A-Z]\w+)"', text))
                    # IAM registers the user/role/group families from one template: On($"Attach{word}Policy", ...).
                    for template in re.findall(r'\bOn\(\$"([A-Z][\w{}]+)"', text):
                        found.update(template.replace("{word}", word) for word in ("User", "Role", "Group"))
    return found & set(known)


def parse_sections(lines):
    """Heading -> (start, end) line indexes of its first operation table, and the notes of every row in the document."""
    tables, notes, heading = {}, {}, None
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("## "):
            heading = line[3:].strip()
        if line.startswith("| operation |") and heading is not None:
            start = i
            i += 2
            while i < len(lines) and lines[i].startswith("|"):
                cells = [c.strip() for c in lines[i].strip().strip("|").split("|")]
                if len(cells) >= 2:
                    for op in cells[0].split(","):
                        notes.setdefault((heading, op.strip()), (cells[1], "|".join(cells[2:]).strip()))
                i += 1
            tables.setdefault(heading, (start, i))
            continue
        i += 1
    return tables, notes


def rows(heading, ops, served, notes):
    out = ["| operation | status | what differs |", "|---|---|---|"]
    for op in ops:
        status, note = notes.get((heading, op)) or notes.get(("CodeBuild: test reports", op)) or ("", "")
        if op in served:
            status = "partly" if status == "partly" else "served"
        else:
            status, note = "not served", (note if status == "not served" else "")
        out.append(f"| {op} | {status} | {note} |")
    return out


def main():
    models = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "aws-models")
    lines = open(DOC, encoding="utf-8").read().split("\n")
    tables, notes = parse_sections(lines)
    appended = []
    # Replace from the last table up, so earlier indexes stay valid.
    for heading, model_dirs, source_dirs, intro in sorted(SERVICES, key=lambda s: -tables.get(s[0], (-1, -1))[0]):
        ops = model_operations(models, model_dirs)
        table = rows(heading, ops, dispatched(source_dirs, ops), notes)
        if heading in tables:
            start, end = tables[heading]
            lines[start:end] = table
        else:
            appended.append(["", f"## {heading}", "", intro, ""] + table)
    for section in appended:
        lines = lines[:-1] + section + [""] if lines[-1] == "" else lines + section
    open(DOC, "w", encoding="utf-8").write("\n".join(lines))


if __name__ == "__main__":
    main()
