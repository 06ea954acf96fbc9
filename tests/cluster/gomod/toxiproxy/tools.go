//go:build tools

// The program built from this module (toxiproxy's server, which
// tests/cluster/toxiproxy.sh runs on demand); the blank import keeps go.mod tidy.
package tools

import _ "github.com/Shopify/toxiproxy/v2/cmd/server"
