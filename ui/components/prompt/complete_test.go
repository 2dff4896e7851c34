package prompt

import (
	"reflect"
	"testing"
)

func TestCandidates(t *testing.T) {
	names := map[string][]string{"pods": {"web-1", "web-2", "db-1"}, "deployments": {"web"}}
	for _, tc := range []struct {
		line string
		want []string
	}{
		{"ge", []string{"get"}},
		{"kubectl ro", []string{"rollout"}},
		{"get po", []string{"pod", "pods"}},
		{"get pods w", []string{"web-1", "web-2"}},
		{"describe po d", []string{"db-1"}},
		{"logs we", []string{"web-1", "web-2"}},
		{"rollout st", []string{"status"}},
		{"rollout status deployment/", []string{"deployment/web"}},
		{"get pods --wat", []string{"--watch"}},
		{"zz", nil},
		{"ed", []string{"edit"}},
		{"e", []string{"edit", "events", "exec", "exit", "explain", "expose"}},
		{"po", []string{"port-forward"}},
		{"fault s", []string{"start-node", "stop-node"}},
		{"kubectl sl", []string{"sleep"}},
	} {
		got, _ := Candidates(tc.line, names)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Candidates(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
}
