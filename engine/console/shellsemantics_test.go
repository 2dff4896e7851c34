package console

import (
	"bufio"
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/kubeplay/kubeplay/engine/cluster"
)

// runInput plays input on a fresh cluster and returns the status and
// everything printed.
func runInput(t *testing.T, input string, opts Options) (int, string) {
	t.Helper()
	c, err := cluster.New(cluster.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	status := New(c, &out, &out, opts).Run(strings.NewReader(input))
	return status, out.String()
}

// The shell leaves as sh does: with the last command's status, or the
// one exit gives; --strict stops at the first failure with its code.
func TestExitStatus(t *testing.T) {
	tests := []struct {
		input  string
		strict bool
		want   int
	}{
		{"get pods nope\nget nodes\nexit\n", false, 0},
		{"get pods nope\nget nodes\n", false, 0},
		{"get nodes\nget pods nope\nexit\n", false, 1},
		{"get nodes\nget pods nope\n", false, 1},
		{"get pods nope\nexit 3\n", false, 3},
		{"exit 0\n", false, 0},
		{"exit 300\n", false, 44},
		{"exit nope\nget nodes\n", false, 2},
		{"get pods nope\n# a comment\n\nexit\n", false, 1},
		{"cat <<EOF\n", false, 1},
		{"get pods nope\nget nodes\n", true, 1},
		{"get nodes\nexit 4\n", true, 4},
	}
	for _, tt := range tests {
		got, out := runInput(t, tt.input, Options{Strict: tt.strict})
		if got != tt.want {
			t.Errorf("%q (strict %v): status %d, want %d\n%s", tt.input, tt.strict, got, tt.want, out)
		}
	}
}

// A << inside quotes, after #, or as a here-string is no here-document:
// the lines after it are commands.
func TestHereDocOnlyWhereTheShellSeesOne(t *testing.T) {
	for _, line := range []string{
		"kubectl get pods # <<EOF",
		"kubectl annotate pod nope note='a<<b'",
		`kubectl annotate pod nope note="a<<b"`,
		`kubectl annotate pod nope note=a\<<b`,
		"kubectl get pods <<<EOF",
	} {
		_, out := runInput(t, line+"\nkubectl get nodes\n", Options{Echo: true})
		if !strings.Contains(out, "$ kubectl get nodes\n") || !strings.Contains(out, "node-1") {
			t.Errorf("%q swallowed the next line:\n%s", line, out)
		}
	}
}

func TestHereDocBody(t *testing.T) {
	tests := []struct {
		line, rest, body, wantLine, wantErr string
	}{
		{"apply -f - <<EOF", "a: $x\nEOF\nnext\n", "a: $x\n", "apply -f -", ""},
		{"apply -f - <<'EOF'", "a: 1\n  EOF\n", "a: 1\n", "apply -f -", ""},
		{`apply -f - <<"END" --dry-run=client`, "a: 1\nEND\n", "a: 1\n", "apply -f - --dry-run=client", ""},
		{"apply -f - <<-EOF", "\ta: 1\n\tEOF\n", "a: 1\n", "apply -f -", ""},
		{"apply -f - <<EOF", "a: 1\n", "", "", `the here-document was not closed with "EOF"`},
		{"apply -f - <<", "", "", "", "a here-document needs an end marker, as in <<EOF"},
		{"annotate pod x n='<<EOF'", "next\n", "", "annotate pod x n='<<EOF'", ""},
	}
	for _, tt := range tests {
		r := bufio.NewReader(strings.NewReader(tt.rest))
		stdin, line, err := ReadHereDoc(tt.line, r, "en")
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("%q: error %v, want %q", tt.line, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tt.line, err)
			continue
		}
		var body []byte
		if stdin != nil {
			body, _ = io.ReadAll(stdin)
		}
		if string(body) != tt.body || line != tt.wantLine {
			t.Errorf("%q: line %q body %q, want %q %q", tt.line, line, body, tt.wantLine, tt.body)
		}
	}
}
