// Package image builds the images the Docker runtime runs. No registry can be
// reached (and often none can in a workshop), so kubeplay makes its images
// from its own binary, which is multi-call (engine/guest/multicall): a
// scratch image holding the binary, links to it named after the shell's
// commands, and — when the binary is dynamically linked — its ELF loader and
// libraries. One ImageImport of a tar streamed from memory, well under a
// second; rebuilt only when the binary changes (label kubeplay.binary-sha256).
//
// The images, all from the same layer:
//
//	kubeplay/demo:<tag>              the demo app; the tag sets its version
//	                                 (v1, v2, broken, latest, anything)
//	kubeplay/pause:<tag>             the pod sandbox (`/kubeplay pause`)
//	kubeplay/stand-in/<image>:<tag>  a well-known image the daemon lacks
//	                                 (nginx, busybox, …), played by the demo
//	                                 app or by kubeplay's shell, and perl,
//	                                 which plays only the documentation's pi
//	                                 Job (engine/guest/perlpi); see StandIn
package image

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/kubeplay/kubeplay/engine/guest/multicall"
	"github.com/kubeplay/kubeplay/engine/guest/perlpi"
	"github.com/kubeplay/kubeplay/engine/runtime/simrt"

	"github.com/moby/moby/client"
	"golang.org/x/sync/singleflight"
)

// Labels of the images kubeplay builds.
const (
	// LabelImage says which kind it is: demo, pause, shell (stand-ins for
	// busybox and the like), perl (the stand-in for perl).
	LabelImage = "kubeplay.image"
	// LabelBinary is the SHA-256 of the kubeplay binary inside: an image
	// with another hash is rebuilt.
	LabelBinary = "kubeplay.binary-sha256"
	// LabelStandIn is the image a stand-in plays.
	LabelStandIn = "kubeplay.stand-in"
)

// Repositories of the images kubeplay builds.
const (
	DemoRepo    = "kubeplay/demo"
	PauseRepo   = "kubeplay/pause"
	StandInRepo = "kubeplay/stand-in/"
)

// defaultPath is the PATH of a Debian image: a scratch image has none, and
// Docker resolves a command such as `sh` through the image's PATH.
const defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// Option adjusts a build.
type Option func(*options)

type options struct {
	binary string
	force  bool
	labels map[string]string
}

// WithBinary builds from the kubeplay binary at path instead of the running
// one (tests: the running binary is the test binary).
func WithBinary(path string) Option { return func(o *options) { o.binary = path } }

// Force rebuilds even when the image is up to date.
func Force() Option { return func(o *options) { o.force = true } }

// WithLabel adds a label to a built image (tests label theirs to remove
// them afterwards); it does not make an up-to-date image rebuild.
func WithLabel(key, value string) Option {
	return func(o *options) {
		if o.labels == nil {
			o.labels = map[string]string{}
		}
		o.labels[key] = value
	}
}

// EnsureDemo makes sure kubeplay/demo:<tag> is on the daemon, built from the
// current binary, and returns its reference. progress, when not nil, is told
// what is happening when a build is needed.
func EnsureDemo(ctx context.Context, cli *client.Client, tag string, progress func(string), opts ...Option) (string, error) {
	return Ensure(ctx, cli, DemoRepo+":"+tag, progress, opts...)
}

// EnsurePause makes sure kubeplay/pause:latest, the pod sandbox, is on the
// daemon. Any image kubeplay builds can also be the sandbox with the command
// PauseCommand.
func EnsurePause(ctx context.Context, cli *client.Client, progress func(string), opts ...Option) (string, error) {
	return Ensure(ctx, cli, PauseRepo+":latest", progress, opts...)
}

// Builds reports whether ref is one of the images kubeplay builds (demo,
// pause, stand-in), which Ensure accepts.
func Builds(ref string) bool {
	_, err := parse(ref)
	return err == nil
}

// Ensure makes sure an image kubeplay builds (see Builds) is on the daemon,
// built from the current binary, and returns the reference to create
// containers from: ref's tag followed by the binary's hash
// (kubeplay/demo:v1-kp1a2b3c4d5e6f), the image of this binary and no
// other. Several kubeplay binaries share one daemon (two versions, a
// test's build beside the installed one): under one tag they took turns
// rebuilding it, a second each, in the middle of each other's pod starts,
// and a container could start from the other binary's image. ref itself
// is tagged too, to the newest build. Concurrent calls for the same image
// wait for one build.
func Ensure(ctx context.Context, cli *client.Client, ref string, progress func(string), opts ...Option) (string, error) {
	b, err := ensure(ctx, cli, ref, progress, opts)
	return b.pinned, err
}

// ensure is Ensure, saying which binary the image holds.
func ensure(ctx context.Context, cli *client.Client, ref string, progress func(string), opts []Option) (buildPlan, error) {
	b, err := prepare(ref, opts)
	if err != nil {
		return buildPlan{}, err
	}
	old, err := cli.ImageInspect(ctx, b.pinned)
	if err == nil && !b.o.force && old.Config != nil && old.Config.Labels[LabelBinary] == b.sum {
		return b, nil
	}
	oldID := "" // a forced build replaces it
	if err == nil && old.Config != nil && old.Config.Labels[LabelImage] != "" {
		oldID = old.ID
	}
	if progress == nil {
		progress = func(string) {}
	}
	// Concurrent pods wanting the same image share one build (and the
	// first one's progress); a forced build joins one in flight too, since
	// it would build the same thing.
	_, err, _ = builds.Do(b.pinned, func() (any, error) {
		return nil, build(ctx, cli, b, oldID, progress)
	})
	return b, err
}

// Present reports whether ref (one of the images kubeplay builds) is on
// the daemon as the current binary builds it, and the reference to create
// containers from; it builds nothing.
func Present(ctx context.Context, cli *client.Client, ref string, opts ...Option) (string, bool) {
	b, ok := present(ctx, cli, ref, opts)
	return b.pinned, ok
}

// present is Present, saying which binary the image holds.
func present(ctx context.Context, cli *client.Client, ref string, opts []Option) (buildPlan, bool) {
	b, err := prepare(ref, opts)
	if err != nil {
		return buildPlan{}, false
	}
	im, err := cli.ImageInspect(ctx, b.pinned)
	return b, err == nil && im.Config != nil && im.Config.Labels[LabelBinary] == b.sum
}

var builds singleflight.Group

// buildPlan is an image to build: what ref asks for, from which binary,
// under which pinned reference.
type buildPlan struct {
	spec
	o      options
	sum    string // the binary's SHA-256
	size   int64
	pinned string // spec.ref's repository, the tag and -kp + the hash's first 12 digits
}

// pinnedMark is what separates a tag from the binary's hash in a pinned
// reference.
const pinnedMark = "-kp"

func prepare(ref string, opts []Option) (buildPlan, error) {
	spec, err := parse(ref)
	if err != nil {
		return buildPlan{}, err
	}
	b := buildPlan{spec: spec}
	for _, opt := range opts {
		opt(&b.o)
	}
	if b.o.binary == "" {
		if b.o.binary, err = os.Executable(); err != nil {
			return buildPlan{}, fmt.Errorf("finding the kubeplay binary to build %s from: %w", spec.ref, err)
		}
	}
	if b.o.binary, err = filepath.EvalSymlinks(b.o.binary); err != nil {
		return buildPlan{}, err
	}
	if b.sum, b.size, err = hashBinary(b.o.binary); err != nil {
		return buildPlan{}, err
	}
	b.pinned = spec.ref + pinnedMark + b.sum[:12]
	return b, nil
}

// spec is what a reference asks for.
type spec struct {
	ref     string // normalised: kubeplay/demo:v1
	kind    string // demo, pause, shell, perl
	tag     string
	standIn string // the image played, for stand-ins
}

func parse(ref string) (spec, error) {
	repo := simrt.Repository(ref)
	tag := tagOf(ref)
	s := spec{ref: repo + ":" + tag, tag: tag}
	switch {
	case repo == DemoRepo:
		s.kind = "demo"
	case repo == PauseRepo:
		s.kind = "pause"
	case strings.HasPrefix(repo, StandInRepo):
		s.standIn = strings.TrimPrefix(repo, StandInRepo) + ":" + tag
		switch {
		case simrt.Repository(s.standIn) == perlpi.Repository:
			s.kind = "perl"
		case !simrt.WellKnown(s.standIn):
			return spec{}, fmt.Errorf("%s: kubeplay stands in only for the images the simulated runtime knows, not %s", ref, s.standIn)
		case simrt.RunsShell(s.standIn):
			s.kind = "shell"
		case simrt.Repository(s.standIn) == "registry.k8s.io/pause":
			s.kind = "pause"
		default:
			s.kind = "demo"
		}
	default:
		return spec{}, fmt.Errorf("%s is not an image kubeplay builds (%s, %s or %s…)", ref, DemoRepo, PauseRepo, StandInRepo)
	}
	return s, nil
}

// tagOf is a reference's tag; "latest" when it has none or a digest.
func tagOf(ref string) string {
	if i := strings.IndexByte(ref, '@'); i >= 0 {
		ref = ref[:i]
	}
	if i := strings.LastIndexByte(ref, ':'); i > strings.LastIndexByte(ref, '/') {
		return ref[i+1:]
	}
	return "latest"
}

// changes is the image's configuration, as Dockerfile instructions applied
// by the import.
func (s spec) changes(sum string, extra map[string]string) []string {
	ch := []string{"ENV PATH=" + defaultPath, "WORKDIR /", "LABEL " + LabelImage + "=" + s.kind, "LABEL " + LabelBinary + "=" + sum}
	image := s.ref
	if s.standIn != "" {
		image = s.standIn
		ch = append(ch, "LABEL "+LabelStandIn+"="+s.standIn)
	}
	switch s.kind {
	case "demo":
		ch = append(ch, `ENTRYPOINT ["`+BinaryPath+`","demo-app"]`, "ENV VERSION="+s.tag,
			"ENV "+multicall.EnvImage+"="+image, "EXPOSE 8080")
	case "pause":
		ch = append(ch, `ENTRYPOINT ["`+strings.Join(PauseCommand, `","`)+`"]`)
	case "shell":
		// As busybox: no entrypoint, so a pod's command or args run as
		// they are, and sh by default.
		ch = append(ch, `CMD ["sh"]`)
	case "perl":
		// As the perl image: no entrypoint and perl by default; the pod's
		// `perl …` finds the link /usr/local/bin/perl.
		ch = append(ch, `CMD ["perl"]`)
	}
	for k, v := range extra {
		ch = append(ch, "LABEL "+k+"="+v)
	}
	return ch
}

func build(ctx context.Context, cli *client.Client, b buildPlan, oldID string, progress func(string)) error {
	start := time.Now()
	l, err := link(b.o.binary)
	if err != nil {
		return err
	}
	sep := ", "
	if !l.static() {
		sep = "; " // the description is a list already
	}
	progress(fmt.Sprintf("building %s from %s (%s%s%d MB)…", b.ref, b.o.binary, l.describe(), sep, (b.size+1<<19)>>20))
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(writeRootfs(pw, b.o.binary, l)) }()
	resp, err := cli.ImageImport(ctx, client.ImageImportSource{Source: pr, SourceName: "-"}, b.pinned,
		client.ImageImportOptions{Changes: b.changes(b.sum, b.o.labels), Message: "built by kubeplay from " + filepath.Base(b.o.binary)})
	if err != nil {
		pr.CloseWithError(err)
		return fmt.Errorf("building %s: %w", b.ref, err)
	}
	id, err := readImport(resp)
	pr.Close() // unblocks the writer if the daemon stopped reading
	if err != nil {
		return fmt.Errorf("building %s: %w", b.ref, err)
	}
	// The plain tag follows the newest build. An image it leaves with no
	// tag at all (built before tags were pinned) is kubeplay's and removed.
	if plain, err := cli.ImageInspect(ctx, b.ref); err == nil && plain.ID != id && plain.Config != nil &&
		plain.Config.Labels[LabelImage] != "" && len(plain.RepoTags) == 1 {
		oldID = plain.ID
	}
	if _, err := cli.ImageTag(ctx, client.ImageTagOptions{Source: id, Target: b.ref}); err != nil {
		return fmt.Errorf("tagging %s as %s: %w", b.pinned, b.ref, err)
	}
	if oldID != "" && oldID != id {
		// Nameless now. The daemon refuses while a container uses it.
		_, _ = cli.ImageRemove(ctx, oldID, client.ImageRemoveOptions{})
	}
	prune(ctx, cli, b)
	progress(fmt.Sprintf("done in %.2fs", time.Since(start).Seconds()))
	return nil
}

// pruneAge is how old another binary's build of an image must be before a
// new build removes it: a kubeplay of that binary may still be running,
// between two pods.
const pruneAge = time.Hour

// prune removes the builds of b's image from other binaries made more
// than pruneAge ago, by their pinned tag: the daemon refuses while a
// container uses one, and a kubeplay that needs one again rebuilds it.
func prune(ctx context.Context, cli *client.Client, b buildPlan) {
	list, err := cli.ImageList(ctx, client.ImageListOptions{Filters: make(client.Filters).Add("label", LabelImage)})
	if err != nil {
		return
	}
	for _, im := range list.Items {
		if time.Since(time.Unix(im.Created, 0)) < pruneAge {
			continue
		}
		for _, tag := range im.RepoTags {
			if strings.HasPrefix(tag, b.ref+pinnedMark) && tag != b.pinned {
				_, _ = cli.ImageRemove(ctx, tag, client.ImageRemoveOptions{})
			}
		}
	}
}

// readImport reads the import's JSON messages to the end: the daemon reports
// failure there, not in the HTTP status. The last status is the image ID.
func readImport(r io.ReadCloser) (id string, err error) {
	defer r.Close()
	dec := json.NewDecoder(r)
	for {
		var msg struct {
			Status      string `json:"status"`
			ErrorDetail *struct {
				Message string `json:"message"`
			} `json:"errorDetail"`
			Error string `json:"error"`
		}
		if err := dec.Decode(&msg); err == io.EOF {
			return id, nil
		} else if err != nil {
			return "", err
		}
		switch {
		case msg.ErrorDetail != nil:
			return "", errors.New(msg.ErrorDetail.Message)
		case msg.Error != "":
			return "", errors.New(msg.Error)
		case strings.HasPrefix(msg.Status, "sha256:"):
			id = strings.TrimSpace(msg.Status)
		}
	}
}

var (
	hashMu sync.Mutex
	hashes = map[string]hashed{}
)

type hashed struct {
	size  int64
	mtime time.Time
	sum   string
}

// hashBinary is the binary's SHA-256, remembered per path, size and
// modification time: every pod start asks, and 50 MB cost ~0.1 s to hash.
func hashBinary(path string) (sum string, size int64, err error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", 0, err
	}
	hashMu.Lock()
	h, ok := hashes[path]
	hashMu.Unlock()
	if ok && h.size == st.Size() && h.mtime.Equal(st.ModTime()) {
		return h.sum, h.size, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	d := sha256.New()
	if _, err := io.Copy(d, f); err != nil {
		return "", 0, err
	}
	h = hashed{size: st.Size(), mtime: st.ModTime(), sum: hex.EncodeToString(d.Sum(nil))}
	hashMu.Lock()
	hashes[path] = h
	hashMu.Unlock()
	return h.sum, h.size, nil
}
