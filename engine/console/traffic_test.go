package console

import (
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

// TestZeroDowntimeClaim asserts what the rollout lesson promises, from the
// load generator's own counts: a rolling update without readiness probe
// and graceful shutdown loses requests; with both it loses none.
func TestZeroDowntimeClaim(t *testing.T) {
	dir, _ := transcripts(t)
	t.Chdir(filepath.Join(dir, "..", "..", ".."))
	out := run(t, filepath.Join(dir, "zero-downtime.in"), Options{})
	var errs []int
	for _, m := range regexp.MustCompile(`(?m)^requests \d+, answered \d+, errors (\d+)$`).FindAllSubmatch(out, -1) {
		n, _ := strconv.Atoi(string(m[1]))
		errs = append(errs, n)
	}
	if len(errs) != 3 {
		t.Fatalf("want 3 load reports, got %d:\n%s", len(errs), out)
	}
	if errs[0] != 0 {
		t.Errorf("steady state lost %d requests, want 0", errs[0])
	}
	if errs[1] == 0 {
		t.Errorf("rolling update without readiness probe and graceful shutdown lost no request; the lesson says it does")
	}
	if errs[2] != 0 {
		t.Errorf("rolling update with readiness probe and graceful shutdown lost %d requests, want 0", errs[2])
	}
}
