package image

import (
	"context"

	"github.com/kubeplay/kubeplay/engine/runtime/docker"

	"github.com/moby/moby/client"
)

// Source is the Docker runtime's ImageSource: kubeplay's own images and
// the stand-ins for well-known ones, built from the running binary.
type Source struct {
	cli      *client.Client
	progress func(string)
	opts     []Option
}

// NewSource returns the image source of a Docker cluster; progress hears of
// builds (it may be called from the runtime's goroutines).
func NewSource(cli *client.Client, progress func(string), opts ...Option) *Source {
	return &Source{cli: cli, progress: progress, opts: opts}
}

var _ docker.ImageSource = (*Source)(nil)

// Builds implements docker.ImageSource.
func (s *Source) Builds(ref string) bool { return Builds(ref) }

// Ensure implements docker.ImageSource: kubeplay's images are built, a
// well-known image gets its stand-in, anything else is not provided.
func (s *Source) Ensure(ctx context.Context, ref string) (docker.Image, error) {
	if Builds(ref) {
		b, err := ensure(ctx, s.cli, ref, s.progress, s.opts)
		return runnable(b), err
	}
	demoRef, notice, ok := StandIn(ref)
	if !ok {
		return docker.Image{}, docker.ErrNotProvided
	}
	b, err := ensure(ctx, s.cli, demoRef, s.progress, s.opts)
	img := runnable(b)
	img.StandIn = notice
	return img, err
}

// Present implements docker.ImageSource.
func (s *Source) Present(ctx context.Context, ref string) (docker.Image, bool) {
	b, ok := present(ctx, s.cli, ref, s.opts)
	return runnable(b), ok
}

// Sandbox implements docker.ImageSource: kubeplay's pause image.
func (s *Source) Sandbox(ctx context.Context) (docker.Image, []string, error) {
	b, err := ensure(ctx, s.cli, PauseRepo+":latest", s.progress, s.opts)
	return runnable(b), PauseCommand, err
}

// runnable is what the runtime runs of a build: the image, and the file
// it was built from, which prepare has just hashed: it holds the same
// binary, and the runtime mounts it over the image's (docker.Image's
// Binary). The demo app writes its first line once it listens
// (docker.Image's Announces).
func runnable(b buildPlan) docker.Image {
	return docker.Image{Ref: b.pinned, Binary: b.o.binary, Announces: b.kind == "demo"}
}
