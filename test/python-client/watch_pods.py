"""Watches the pods of one namespace with the official Python client.

Driven by python-client-watch.test.ts: usage
    watch_pods.py KUBECONFIG NAMESPACE SENTINEL TARGET TIMEOUT_SECONDS

It streams with watch.Watch().stream(v1.list_namespaced_pod, ...), the
client's everyday watch loop (the client sends watch=True), and prints one
JSON line per event, flushed, so the test knows the watch is live once the
SENTINEL pod's ADDED event appears. It stops after TARGET's DELETED event,
or after TIMEOUT_SECONDS, whichever comes first.
"""

import json
import sys

from kubernetes import client, config, watch


def main() -> int:
    kubeconfig, namespace, sentinel, target, timeout = sys.argv[1:6]
    config.load_kube_config(config_file=kubeconfig)
    v1 = client.CoreV1Api()
    w = watch.Watch()
    for event in w.stream(v1.list_namespaced_pod, namespace=namespace, timeout_seconds=int(timeout), _request_timeout=int(timeout) + 5):
        pod = event["object"]
        labels = pod.metadata.labels or {}
        print(json.dumps({
            "type": event["type"],
            "name": pod.metadata.name,
            "kind": type(pod).__name__,
            "resourceVersion": pod.metadata.resource_version,
            "labels": labels,
        }), flush=True)
        if event["type"] == "DELETED" and pod.metadata.name == target:
            w.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
