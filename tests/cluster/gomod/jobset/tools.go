//go:build tools

// The program built from this module (the JobSet controller manager, whose
// main package is the module's root, which tests/cluster/controllers.sh runs
// on demand); the blank import keeps go.mod tidy.
package tools

import _ "sigs.k8s.io/jobset"
