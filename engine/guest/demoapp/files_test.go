package demoapp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// rooted serves an fstest.MapFS under absolute names, as a container's
// file system is read.
type rooted struct{ fstest.MapFS }

func (r rooted) ReadDir(name string) ([]os.DirEntry, error) {
	return r.MapFS.ReadDir(strings.TrimPrefix(name, "/"))
}

func (r rooted) ReadFile(name string) ([]byte, error) {
	return r.MapFS.ReadFile(strings.TrimPrefix(name, "/"))
}

func TestEnvAndFiles(t *testing.T) {
	cfg, err := Parse("kubeplay/demo:v1", map[string]string{"GREETING": "hello", "DB_PASSWORD": "s3cr3t", "HOSTNAME": "web-1"})
	if err != nil {
		t.Fatal(err)
	}
	files := rooted{fstest.MapFS{
		"etc/config/color":      {Data: []byte("blue")},
		"etc/config/mode":       {Data: []byte("debug\n")},
		"etc/config/nested/a":   {Data: []byte("a")},
		"etc/secret/password":   {Data: []byte("s3cr3t")},
		"etc/secret/..data/tmp": {Data: []byte("x")},
	}}
	app := New(cfg, "web-1", files, time.Time{})
	for _, tc := range []struct {
		uri, body string
		status    int
	}{
		// Secrets' values too: the learner wants to see what they put there.
		{"/env", "DB_PASSWORD=s3cr3t\nGREETING=hello\nHOSTNAME=web-1\n", 200},
		{"/files/etc/config", "color\nmode\nnested/\n", 200},
		{"/files/etc/config/", "color\nmode\nnested/\n", 200},
		{"/files/etc/config/color", "blue", 200},
		{"/files?path=/etc/config/mode", "debug\n", 200},
		{"/files/etc/secret", "..data/\npassword\n", 200},
		{"/files/etc/../etc/secret/password", "s3cr3t", 200},
		{"/files/etc/nope", "/etc/nope: no such file or directory\n", 404},
		{"/filesystem", "kubeplay demo v1 from pod web-1\n", 200},
	} {
		status, body, crash := app.Serve(tc.uri, time.Time{})
		if status != tc.status || body != tc.body || crash {
			t.Errorf("GET %s: %d %q (crash %v), want %d %q", tc.uri, status, body, crash, tc.status, tc.body)
		}
	}
	if status, _, _ := New(cfg, "web-1", nil, time.Time{}).Serve("/files/etc", time.Time{}); status != 404 {
		t.Errorf("/files with no file system: %d, want 404", status)
	}
}

// TestServeFiles reads the real file system, as the demo app in a
// container does with its mounted ConfigMap.
func TestServeFiles(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "color"), []byte("blue"), 0o644); err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	r := start(t, "kubeplay/demo:v1", map[string]string{"PORT": itoa(port), "COLOR_FROM": "configmap"})
	a := r.addr(t)
	if code, body := get(t, a, "/files"+dir+"/color"); code != 200 || body != "blue" {
		t.Errorf("/files%s/color: %d %q", dir, code, body)
	}
	if code, body := get(t, a, "/files?path="+dir); code != 200 || body != "color\n" {
		t.Errorf("/files?path=%s: %d %q", dir, code, body)
	}
	if code, body := get(t, a, "/env"); code != 200 || !strings.Contains(body, "COLOR_FROM=configmap\n") {
		t.Errorf("/env: %d %q", code, body)
	}
}
