package docker_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kubeplay/kubeplay/engine/runtime"
	"github.com/kubeplay/kubeplay/engine/runtime/docker"
)

// binarySource is the tests' image source, saying that a host file holds
// the images' kubeplay binary.
type binarySource struct {
	testImages
	binary string
}

func (s binarySource) Present(ctx context.Context, ref string) (docker.Image, bool) {
	img, ok := s.testImages.Present(ctx, ref)
	img.Binary = s.binary
	return img, ok
}

func (s binarySource) Sandbox(ctx context.Context) (docker.Image, []string, error) {
	img, cmd, err := s.testImages.Sandbox(ctx)
	img.Binary = s.binary
	return img, cmd, err
}

// TestImageBinaryMounted: the file an image source names as an image's
// binary is what the pod's sandbox and containers find at /kubeplay (a
// bind mount, not the storage driver's copy), and a pod started after
// that file was replaced (a rebuild while the cluster runs) still gets
// the binary the cluster started with.
func TestImageBinaryMounted(t *testing.T) {
	connect(t)
	bin := filepath.Join(t.TempDir(), "kubeplay")
	write := func(text string) {
		t.Helper()
		// As go build does: a new file renamed over the old one.
		if err := os.WriteFile(bin+".new", []byte(text), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(bin+".new", bin); err != nil {
			t.Fatal(err)
		}
	}
	write("the first binary\n")
	rt, err := docker.New(context.Background(), docker.Config{ClusterID: "test-binary-" + filepath.Base(filepath.Dir(bin)), Node: "node-1",
		Images: binarySource{binary: bin}})
	if err != nil {
		t.Fatalf("docker.New: %v", err)
	}
	t.Cleanup(func() {
		if _, err := rt.Close(context.Background()); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	if !rt.HasImage(testImage) {
		t.Fatalf("HasImage(%s) = false", testImage)
	}
	cat := func(id string) string {
		t.Helper()
		res, err := rt.Exec(id, []string{"cat", docker.ImageBinary}, 5*time.Second)
		if err != nil {
			t.Fatalf("exec cat: %v", err)
		}
		return string(res.Output)
	}
	sb, app := pod(t, rt, "a", runtime.ContainerConfig{Name: "app", Image: testImage})
	for what, id := range map[string]string{"the sandbox": sb.ID, "the app": app} {
		if got := cat(id); got != "the first binary\n" {
			t.Errorf("%s's %s reads %q, want the host file's", what, docker.ImageBinary, got)
		}
	}
	write("the second binary\n")
	sb, app = pod(t, rt, "b", runtime.ContainerConfig{Name: "app", Image: testImage})
	for what, id := range map[string]string{"the sandbox": sb.ID, "the app": app} {
		if got := cat(id); !strings.Contains(got, "first") {
			t.Errorf("after a rebuild, a new pod's %s reads %q, want the binary the cluster started with", what, got)
		}
	}
}
