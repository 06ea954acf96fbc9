//go:build tools

// The program built from this module (the Kueue controller manager, which
// tests/cluster/kueue.sh runs on demand); the blank import keeps go.mod tidy.
package tools

import _ "sigs.k8s.io/kueue/cmd/kueue"
