//go:build tools

// Pins Prometheus, which tests/cluster/prometheus.sh runs on demand to scrape
// the engine simulator's pods (kubernetes service discovery through the local
// API server), so the integration tests run every PromQL query serve renders.
package tools

import _ "github.com/prometheus/prometheus/cmd/prometheus"
