#!/usr/bin/env python3
"""Checks the shape of CodeBuild buildspec files (scripts/lint.sh runs it on ci/).

CodeBuild has no published schema; the shape is its buildspec reference's syntax section,
https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec-ref-syntax:
`version: 0.2`; optional `run-as`, `env` (`shell`, `variables`, `parameter-store`,
`exported-variables`, `secrets-manager`, `git-credential-helper`), `proxy`, `batch`, `reports`,
`artifacts`, `cache`; and `phases`, each of `install`, `pre_build`, `build`, `post_build` with
optional `run-as`, `on-failure` (`ABORT` or `CONTINUE`), `runtime-versions` (install only),
`commands` and `finally`, both lists of commands. Usage: buildspec-check.py FILE...
"""

import sys

import yaml

TOP = {"version", "run-as", "env", "proxy", "batch", "phases", "reports", "artifacts", "cache"}
ENV = {"shell", "variables", "parameter-store", "exported-variables", "secrets-manager", "git-credential-helper"}
PHASES = {"install", "pre_build", "build", "post_build"}
PHASE = {"run-as", "on-failure", "runtime-versions", "commands", "finally"}


def problems(spec):
    if not isinstance(spec, dict):
        yield "a buildspec is a mapping"
        return
    yield from (f"unknown key `{key}`" for key in spec.keys() - TOP)
    if str(spec.get("version")) != "0.2":
        yield f"`version` is {spec.get('version')!r}, not 0.2"
    env = spec.get("env", {})
    if not isinstance(env, dict):
        yield "`env` is not a mapping"
    else:
        yield from (f"unknown key `env.{key}`" for key in env.keys() - ENV)
        for section in ("variables", "parameter-store", "secrets-manager"):
            values = env.get(section, {})
            if not isinstance(values, dict) or not all(isinstance(v, (str, int, float)) for v in values.values()):
                yield f"`env.{section}` maps names to scalar values"
        exported = env.get("exported-variables", [])
        if not isinstance(exported, list) or not all(isinstance(name, str) for name in exported):
            yield "`env.exported-variables` is a list of names"
    phases = spec.get("phases")
    if not isinstance(phases, dict) or not phases:
        yield "`phases` is a mapping with at least one phase"
        return
    for name, phase in phases.items():
        if name not in PHASES:
            yield f"unknown phase `{name}`"
            continue
        if not isinstance(phase, dict):
            yield f"`phases.{name}` is not a mapping"
            continue
        yield from (f"unknown key `phases.{name}.{key}`" for key in phase.keys() - PHASE)
        if "runtime-versions" in phase and name != "install":
            yield f"`runtime-versions` belongs to `install`, not `{name}`"
        if phase.get("on-failure", "ABORT") not in ("ABORT", "CONTINUE"):
            yield f"`phases.{name}.on-failure` is ABORT or CONTINUE"
        for key in ("commands", "finally"):
            commands = phase.get(key, [])
            if not isinstance(commands, list) or not all(isinstance(command, str) for command in commands):
                yield f"`phases.{name}.{key}` is a list of strings"


def main(files):
    failed = 0
    for file in files:
        with open(file, encoding="utf-8") as handle:
            found = list(problems(yaml.safe_load(handle)))
        for problem in found:
            print(f"{file}: {problem}", file=sys.stderr)
        failed += bool(found)
    print(f"buildspec: {len(files)} files, {failed} with problems", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
