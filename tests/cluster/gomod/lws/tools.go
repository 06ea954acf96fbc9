//go:build tools

// The program built from this module (the LeaderWorkerSet controller manager,
// which tests/cluster/controllers.sh runs on demand); the blank import keeps go.mod tidy.
package tools

import _ "sigs.k8s.io/lws/cmd"
