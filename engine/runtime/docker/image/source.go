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
		built, err := Ensure(ctx, s.cli, ref, s.progress, s.opts...)
		return docker.Image{Ref: built}, err
	}
	demoRef, notice, ok := StandIn(ref)
	if !ok {
		return docker.Image{}, docker.ErrNotProvided
	}
	built, err := Ensure(ctx, s.cli, demoRef, s.progress, s.opts...)
	return docker.Image{Ref: built, StandIn: notice}, err
}

// Present implements docker.ImageSource.
func (s *Source) Present(ctx context.Context, ref string) (docker.Image, bool) {
	built, ok := Present(ctx, s.cli, ref, s.opts...)
	return docker.Image{Ref: built}, ok
}

// Sandbox implements docker.ImageSource: kubeplay's pause image.
func (s *Source) Sandbox(ctx context.Context) (string, []string, error) {
	ref, err := EnsurePause(ctx, s.cli, s.progress, s.opts...)
	return ref, PauseCommand, err
}
