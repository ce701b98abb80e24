package probes

import "strings"

func equalFold(a, b string) bool { return strings.EqualFold(a, b) }

func containsFold(s, part string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(part))
}
