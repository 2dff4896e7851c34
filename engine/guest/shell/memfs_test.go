package shell

import (
	"io/fs"
	"os"
	"slices"
	"testing"
)

func dirNames(t *testing.T, f *MemFS, dir string) []string {
	t.Helper()
	entries, err := f.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestMemFSImageLayerIsSharedButNeverChanged: every MemFS starts with the
// image's directories, a layer they share; whatever one container does to
// them (remove, recreate, fill) only it sees, and what it holds counts in
// its quota as before.
func TestMemFSImageLayerIsSharedButNeverChanged(t *testing.T) {
	a, b := NewMemFS(), NewMemFS()
	image := []string{"bin", "dev", "etc", "proc", "root", "tmp", "usr", "var"}
	if got := dirNames(t, a, "/"); !slices.Equal(got, image) {
		t.Fatalf("a new MemFS has %v, want %v", got, image)
	}
	start := a.Used()
	if err := a.RemoveAll("/usr"); err != nil {
		t.Fatal(err)
	}
	if err := a.Remove("/var"); err != nil {
		t.Fatal(err)
	}
	if err := a.MkdirAll("/var/log"); err != nil {
		t.Fatal(err)
	}
	if err := a.WriteFile("/etc/hostname", []byte("web\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := a.open("/tmp/x", os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("12345")); err != nil {
		t.Fatal(err)
	}
	if got, want := dirNames(t, a, "/"), []string{"bin", "dev", "etc", "proc", "root", "tmp", "var"}; !slices.Equal(got, want) {
		t.Errorf("a has %v, want %v", got, want)
	}
	if a.Exists("/usr/bin") || !a.Exists("/var/log") || !a.Exists("/tmp/x") {
		t.Errorf("a's changes are not its own: /usr/bin %v, /var/log %v, /tmp/x %v", a.Exists("/usr/bin"), a.Exists("/var/log"), a.Exists("/tmp/x"))
	}
	// /usr and /usr/bin gone, /var gone and back with /var/log, two files.
	want := start - entryCost("/usr") - entryCost("/usr/bin") + entryCost("/var/log") +
		entryCost("/etc/hostname") + 4 + entryCost("/tmp/x") + 5
	if a.Used() != want {
		t.Errorf("a uses %d bytes, want %d", a.Used(), want)
	}
	if got := dirNames(t, b, "/"); !slices.Equal(got, image) || b.Exists("/etc/hostname") || b.Exists("/tmp/x") || b.Exists("/var/log") {
		t.Errorf("another MemFS sees the first's changes: %v", got)
	}
	if fi, err := b.Stat("/tmp"); err != nil || fi.Mode() != fs.ModeDir|0o777 {
		t.Errorf("/tmp is %v (%v), want drwxrwxrwx", fi, err)
	}
	a.Free()
	if got := dirNames(t, a, "/"); len(got) != 0 || a.Used() != 0 {
		t.Errorf("after Free: %v, %d bytes; want nothing", got, a.Used())
	}
	if got := dirNames(t, b, "/"); !slices.Equal(got, image) {
		t.Errorf("Free emptied another MemFS: %v", got)
	}
}

// TestMemFSSharedFilesAreNeverChanged: files written shared (the runtime's
// /etc/hosts, resolv.conf and hostname, alike in many containers) are
// read as any other, count in each quota, and a write to one, in place,
// appending or truncating, changes that file system's copy only.
func TestMemFSSharedFilesAreNeverChanged(t *testing.T) {
	hosts := []byte("127.0.0.1\tlocalhost\n")
	a, b := NewMemFS(), NewMemFS()
	for _, f := range []*MemFS{a, b} {
		before := f.Used()
		if err := f.WriteShared(SharedFile{"/etc/hosts", hosts}, SharedFile{"/etc/resolv.conf", []byte("nameserver 10.96.0.10\n")}); err != nil {
			t.Fatal(err)
		}
		if got, want := f.Used()-before, entryCost("/etc/hosts")+int64(len(hosts))+entryCost("/etc/resolv.conf")+22; got != want {
			t.Errorf("shared files count %d bytes, want %d", got, want)
		}
	}
	for _, flag := range []int{os.O_RDWR, os.O_WRONLY | os.O_APPEND, os.O_WRONLY | os.O_TRUNC} {
		w, err := a.open("/etc/hosts", flag, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte("10.0.0.1")); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := a.ReadFile("/etc/hosts"); err != nil || string(got) != "10.0.0.1" {
		t.Errorf("a's /etc/hosts after its writes: %q %v", got, err)
	}
	if got, err := b.ReadFile("/etc/hosts"); err != nil || string(got) != string(hosts) || string(hosts) != "127.0.0.1\tlocalhost\n" {
		t.Errorf("b's /etc/hosts is %q, the shared data %q: a's writes reached them", got, hosts)
	}
}
