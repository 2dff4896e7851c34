package docker_test

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/kubeplay/kubeplay/engine/guest/multicall"
	"github.com/kubeplay/kubeplay/engine/runtime/docker"

	"github.com/moby/moby/client"
)

// testImage is the tests' stand-in for kubeplay's demo image, so that
// these tests do not wait for the image package: a scratch image holding
// the static helper under testdata/helper — kubeplay's in-container modes
// (multicall), with the shell's commands and hog linked to it.
const testImage = "kubeplay-test/demo:conformance"

// standInFor is an image the test source plays with testImage.
const standInFor = "nginx:kubeplay-test"

// helperCmd runs the helper in one of its modes.
func helperCmd(mode string) []string { return []string{"/bin/kubeplay-test", mode} }

// testImages is the ImageSource of the tests.
type testImages struct{}

func (testImages) Builds(ref string) bool { return ref == testImage }

func (testImages) Ensure(_ context.Context, ref string) (docker.Image, error) {
	switch ref {
	case testImage: // built before any test runs
		return docker.Image{Ref: testImage, Announces: true}, nil
	case standInFor:
		return docker.Image{Ref: testImage, StandIn: "test: " + ref + " is played by the test image", Announces: true}, nil
	}
	return docker.Image{}, docker.ErrNotProvided
}

func (testImages) Present(_ context.Context, ref string) (docker.Image, bool) {
	return docker.Image{Ref: testImage, Announces: true}, ref == testImage
}

func (testImages) Sandbox(context.Context) (docker.Image, []string, error) {
	return docker.Image{Ref: testImage}, helperCmd("pause"), nil
}

var (
	imageOnce sync.Once
	imageErr  error
)

// ensureTestImage builds the helper and imports the image once per test
// binary; an image with the same helper already on the daemon is reused.
func ensureTestImage(t testing.TB, cli *client.Client) {
	t.Helper()
	imageOnce.Do(func() { imageErr = buildTestImage(context.Background(), cli) })
	if imageErr != nil {
		t.Fatalf("test image: %v", imageErr)
	}
}

func buildTestImage(ctx context.Context, cli *client.Client) error {
	dir, err := os.MkdirTemp("", "kubeplay-helper")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "helper")
	cmd := exec.Command("go", "build", "-o", bin, "./testdata/helper")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build ./testdata/helper: %v\n%s", err, out)
	}
	exe, err := os.ReadFile(bin)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(exe)
	hash := hex.EncodeToString(sum[:8])
	if ins, err := cli.ImageInspect(ctx, testImage); err == nil && ins.Config != nil && ins.Config.Labels["kubeplay.test-hash"] == hash {
		return nil
	}
	layer, err := scratchTar(exe)
	if err != nil {
		return err
	}
	body, err := cli.ImageImport(ctx, client.ImageImportSource{Source: layer, SourceName: "-"}, testImage, client.ImageImportOptions{
		Changes: []string{"ENV PATH=/bin", `ENTRYPOINT ["/bin/kubeplay-test", "demo-app"]`, "LABEL kubeplay.test-hash=" + hash},
	})
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer body.Close()
	out, err := io.ReadAll(body)
	if err != nil || bytes.Contains(out, []byte(`"errorDetail"`)) {
		return fmt.Errorf("import: %v %s", err, out)
	}
	return nil
}

// scratchTar is the image's only layer: /bin with the helper and the
// names it answers to, and a world-writable /tmp.
func scratchTar(exe []byte) (io.Reader, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	hdrs := []*tar.Header{
		{Name: "bin/", Typeflag: tar.TypeDir, Mode: 0o755},
		{Name: "tmp/", Typeflag: tar.TypeDir, Mode: 0o1777},
		{Name: "bin/kubeplay-test", Typeflag: tar.TypeReg, Mode: 0o755, Size: int64(len(exe))},
	}
	for _, h := range hdrs {
		if err := tw.WriteHeader(h); err != nil {
			return nil, err
		}
		if h.Typeflag == tar.TypeReg {
			if _, err := tw.Write(exe); err != nil {
				return nil, err
			}
		}
	}
	for _, a := range append(multicall.Applets(), "hog") {
		if err := tw.WriteHeader(&tar.Header{Name: "bin/" + a, Typeflag: tar.TypeSymlink, Linkname: "kubeplay-test", Mode: 0o777}); err != nil {
			return nil, err
		}
	}
	return &buf, tw.Close()
}

// connect returns a client, or skips the test when no daemon answers —
// but fails it in CI, where the docker half of the suite must run.
func connect(t testing.TB) *client.Client {
	t.Helper()
	cli, err := docker.Connect(context.Background())
	if err != nil {
		if strings.EqualFold(os.Getenv("CI"), "true") {
			t.Fatalf("CI=true and no Docker daemon answers: %v", err)
		}
		t.Skipf("no Docker daemon, skipping the docker runtime's tests: %v", err)
	}
	t.Cleanup(func() { cli.Close() })
	ensureTestImage(t, cli)
	return cli
}
