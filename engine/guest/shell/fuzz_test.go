package shell

import (
	"strings"
	"syscall"
	"testing"
	"time"
)

// FuzzStart runs random scripts: none may panic, hang the engine, or touch
// anything but its MemFS.
func FuzzStart(f *testing.F) {
	for _, s := range []string{
		"touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600",
		"while true; do :; done",
		"for ((;;)); do x=1; done",
		"f() { f; }; f",
		"echo $$ $RANDOM > /tmp/x; cat /tmp/x | grep -q 1 && exit 3",
		"trap 'echo bye; exit 0' TERM; while :; do sleep 1; done",
		"sleep 5 & sleep 1 | cat; wait",
		"cat <(echo hi)",
		"echo hi > >(cat)",
		"source /nope; . /etc/x",
		"wget -qO- http://x/ ; ls -la / ; env; date +%s",
		"exec 3>&1; read x; mapfile y",
		"cd /; pwd -P; command -v ls; type cd",
		"echo 'sh /r' > /r; sh /r",
		"${x?boom}; echo after",
		"ulimit -n; umask 022; kill -9 1",
	} {
		f.Add(s, uint8(3))
	}
	f.Fuzz(func(t *testing.T, script string, steps uint8) {
		var out, errb strings.Builder
		fsys := NewMemFS()
		p := Start(Config{Argv: sh(script), FS: fsys, Stdout: &out, Stderr: &errb, MaxSteps: 2000, Net: fakeNet{}})
		done := make(chan struct{})
		go func() {
			defer close(done)
			for range int(steps % 8) {
				if p.Step().Exited {
					return
				}
			}
			if int(steps)%3 == 0 {
				p.Signal(syscall.SIGTERM)
				p.Step()
			}
			p.Signal(syscall.SIGKILL)
		}()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Fatalf("hung on %q", script)
		}
	})
}
