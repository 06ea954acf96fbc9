//go:build tools

// The program built from this module; the blank import keeps go.mod tidy.
package tools

import _ "sigs.k8s.io/krew/cmd/krew"
