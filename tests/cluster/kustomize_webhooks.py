#!/usr/bin/env python3
"""Prints the webhook registrations of a kubebuilder project's webhook folder
(argv[1]) as its kustomization.yaml writes them: the documents of its
`resources` that are webhook configurations, with its JSON 6902 `patches`
applied to the documents their `target` names. Only what these folders use is
supported (replace and add of a JSON pointer); anything else is an error, so a
new layout fails the build instead of registering webhooks that differ from
the project's own. build.sh runs it for JobSet and LeaderWorkerSet."""
import os
import sys

import yaml


def pointer_parent(doc, path):
    parts = [p.replace("~1", "/").replace("~0", "~") for p in path.lstrip("/").split("/")]
    for part in parts[:-1]:
        doc = doc[int(part)] if isinstance(doc, list) else doc[part]
    return doc, parts[-1]


def apply(doc, op):
    parent, key = pointer_parent(doc, op["path"])
    if isinstance(parent, list):
        index = len(parent) if key == "-" else int(key)
        if op["op"] == "replace":
            parent[index] = op["value"]
        elif op["op"] == "add":
            parent.insert(index, op["value"])
        else:
            sys.exit(f"kustomize_webhooks.py: unsupported op {op['op']} at {op['path']}")
    elif op["op"] in ("replace", "add"):
        if op["op"] == "replace" and key not in parent:
            sys.exit(f"kustomize_webhooks.py: nothing to replace at {op['path']}")
        parent[key] = op["value"]
    else:
        sys.exit(f"kustomize_webhooks.py: unsupported op {op['op']} at {op['path']}")


def main():
    folder = sys.argv[1]
    with open(os.path.join(folder, "kustomization.yaml")) as f:
        kustomization = yaml.safe_load(f)
    docs = []
    for resource in kustomization.get("resources", []):
        with open(os.path.join(folder, resource)) as f:
            docs += [d for d in yaml.safe_load_all(f)
                     if d and d.get("kind", "").endswith("WebhookConfiguration")]
    for patch in kustomization.get("patches", []):
        target = patch["target"]
        matches = [d for d in docs if d["kind"] == target["kind"] and d["metadata"]["name"] == target["name"]]
        if len(matches) != 1:
            sys.exit(f"kustomize_webhooks.py: patch {patch['path']} targets {target['kind']}/{target['name']}, "
                     f"found {len(matches)}")
        with open(os.path.join(folder, patch["path"])) as f:
            for op in yaml.safe_load(f):
                apply(matches[0], op)
    if not docs:
        sys.exit(f"kustomize_webhooks.py: no webhook configuration in {folder}")
    yaml.safe_dump_all(docs, sys.stdout, sort_keys=False)


main()
