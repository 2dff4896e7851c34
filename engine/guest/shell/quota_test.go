package shell

import (
	"strings"
	"testing"
)

// A file system is as big as its quota: writes past it fail with
// busybox's "No space left on device", and what it holds never grows past
// it, whatever the script does.
func TestQuotaStopsWrites(t *testing.T) {
	tests := []struct {
		script, out, err string
		code             int
	}{
		{"while echo 0123456789abcdef >> /tmp/f; do :; done; wc -c < /tmp/f", "4026\n", // the quota less the file's entry
			"echo: write error: No space left on device\n", 0},
		{"echo 0123456789abcdef > /tmp/a; while :; do cat /tmp/a /tmp/a > /tmp/b || { echo status $?; break; }; cat /tmp/b /tmp/b > /tmp/a || { echo status $?; break; }; done",
			"status 1\n", "cat: write error: No space left on device\n", 0},
		{"x=0123456789abcdef; while :; do x=$x$x; printf %s $x > /tmp/f || { echo status $?; break; }; done",
			"status 1\n", "printf: write error: No space left on device\n", 0},
		{"i=0; while touch /tmp/f$i; do i=$((i+1)); done", "", "touch: /tmp/f57: No space left on device\n", 0},
		{"i=0; while mkdir /d$i; do i=$((i+1)); done", "", "mkdir: can't create directory '/d60': No space left on device\n", 0},
	}
	for _, tt := range tests {
		fsys := NewMemFS()
		fsys.SetQuota(4096+fsys.Used(), nil)
		r := runAll(t, Config{Argv: sh(tt.script), FS: fsys})
		if r.code != tt.code || r.out != tt.out || r.err != tt.err {
			t.Errorf("%q: exit %d, out %q, err %q; want %d %q %q", tt.script, r.code, r.out, r.err, tt.code, tt.out, tt.err)
		}
		if used := fsys.Used(); used > 4096+NewMemFS().Used() {
			t.Errorf("%q: the file system holds %d bytes, more than its quota", tt.script, used)
		}
	}
}

// Removing files gives their space back; file systems on one disk share
// it; Free gives all of one's space back to the disk.
func TestQuotaAccounting(t *testing.T) {
	disk := NewDisk(8192)
	a, b := NewMemFS(), NewMemFS()
	a.SetQuota(8192, disk)
	b.SetQuota(8192, disk)
	empty := a.Used()
	r := runAll(t, Config{Argv: sh("x=0123456789abcdef; x=$x$x$x$x; x=$x$x$x$x; x=$x$x$x$x$x$x; printf %s $x > /tmp/f; rm -r /tmp; mkdir /tmp; printf %s $x > /tmp/g"), FS: a})
	if r.code != 0 || a.Used() != empty+1536+entryCost("/tmp/g") {
		t.Fatalf("exit %d %q; used %d, want %d", r.code, r.err, a.Used(), empty+1536+entryCost("/tmp/g"))
	}
	if disk.Used() != a.Used()+b.Used() {
		t.Fatalf("disk holds %d, its file systems %d", disk.Used(), a.Used()+b.Used())
	}
	big := strings.Repeat("x", int(8192-disk.Used()))
	if err := b.WriteFile("/big", []byte(big), 0o644); err == nil || errText(err) != "No space left on device" {
		t.Fatalf("a file as big as the disk's free space fits, with its entry: %v", err)
	}
	r = runAll(t, Config{Argv: sh("printf %s " + big[:1000] + " > /tmp/more"), FS: b})
	if r.code != 0 {
		t.Fatalf("%d %q", r.code, r.err)
	}
	a.Free()
	if disk.Used() != b.Used() {
		t.Fatalf("after Free the disk holds %d, want %d", disk.Used(), b.Used())
	}
}
