package docker

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kubeplay/kubeplay/engine/runtime"

	"github.com/moby/moby/client"
)

// pullTimeout bounds a real pull; a large image on a slow line takes long.
const pullTimeout = 10 * time.Minute

// HasImage implements runtime.Runtime: the image is on the daemon, or an
// earlier PullImage found a stand-in for it. One of kubeplay's own images
// counts only as this binary builds it: under the same name the daemon
// may hold another kubeplay's.
func (r *Runtime) HasImage(image string) bool {
	r.mu.Lock()
	_, ok := r.images[image]
	r.mu.Unlock()
	if ok {
		return true
	}
	ctx, cancel := call()
	defer cancel()
	if src := r.cfg.Images; src != nil && src.Builds(image) {
		img, ok := src.Present(ctx, image)
		if ok {
			r.mu.Lock()
			r.images[image] = img
			r.mu.Unlock()
		}
		return ok
	}
	_, err := r.cli.ImageInspect(ctx, image)
	return err == nil
}

// StandIn implements runtime.Runtime.
func (r *Runtime) StandIn(image string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.images[image].StandIn
}

// resolve is the image to create a container of image from.
func (r *Runtime) resolve(image string) Image {
	r.mu.Lock()
	defer r.mu.Unlock()
	if img, ok := r.images[image]; ok {
		return img
	}
	return Image{Ref: image}
}

// PullImage implements runtime.Runtime. kubeplay's own images come from
// the image source; others from a real pull (it works on a machine
// online), then from the image source as stand-ins. An image none of them
// has is runtime.ErrImageNotFound.
func (r *Runtime) PullImage(image string) (runtime.PullResult, error) {
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), pullTimeout)
	defer cancel()
	img, err := r.fetch(ctx, image)
	if err != nil {
		return runtime.PullResult{}, err
	}
	ins, err := r.cli.ImageInspect(ctx, img.Ref)
	if err != nil {
		return runtime.PullResult{}, fmt.Errorf("docker: image %s is not on the daemon after its pull: %w", img.Ref, err)
	}
	r.mu.Lock()
	r.images[image] = img
	r.mu.Unlock()
	return runtime.PullResult{Size: ins.Size, Duration: time.Since(start), StandIn: img.StandIn}, nil
}

// fetch puts image on the daemon and says what to run for it.
func (r *Runtime) fetch(ctx context.Context, image string) (Image, error) {
	src := r.cfg.Images
	if src != nil && src.Builds(image) {
		img, err := src.Ensure(ctx, image)
		if err != nil {
			return Image{}, fmt.Errorf("docker: build image %s: %w", image, err)
		}
		return img, nil
	}
	pullErr := r.pull(ctx, image)
	if pullErr == nil {
		return Image{Ref: image}, nil
	}
	if src == nil {
		return Image{}, fmt.Errorf("%w (pull: %v)", runtime.ErrImageNotFound, pullErr)
	}
	img, err := src.Ensure(ctx, image)
	switch {
	case errors.Is(err, ErrNotProvided):
		return Image{}, fmt.Errorf("%w (pull: %v)", runtime.ErrImageNotFound, pullErr)
	case err != nil:
		return Image{}, fmt.Errorf("docker: stand-in for image %s: %w", image, err)
	}
	return img, nil
}

// pull asks the daemon to pull image and waits for the end of its
// progress stream, where a failure is reported.
func (r *Runtime) pull(ctx context.Context, image string) error {
	resp, err := r.cli.ImagePull(ctx, image, client.ImagePullOptions{})
	if err != nil {
		return err
	}
	defer resp.Close()
	return resp.Wait(ctx)
}
