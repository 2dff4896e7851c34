package image

import (
	"fmt"

	"github.com/kubeplay/kubeplay/engine/guest/perlpi"
	"github.com/kubeplay/kubeplay/engine/runtime/simrt"
)

// StandIn says how kubeplay plays a well-known image (the simulated runtime's
// list: nginx, httpd, busybox, alpine, redis, myapp, ubuntu, debian, …) that
// the daemon does not have and no registry can give: demoRef is the image to
// Ensure and run instead, notice the line for events and the screen. Shell
// images (busybox, alpine, ubuntu, debian) become kubeplay's shell, so a
// pod's `command: ["sh","-c","touch /tmp/healthy; sleep 30"]` runs for real;
// registry.k8s.io/pause becomes the sandbox; perl (any tag) becomes
// kubeplay's perl, which plays only the documentation's pi Job; the others
// the demo app, which reports what it stands in for. ok is false for kubeplay's own images and
// for images kubeplay does not know (those fail to pull, as they should).
func StandIn(ref string) (demoRef, notice string, ok bool) {
	repo := simrt.Repository(ref)
	if !(simrt.WellKnown(ref) || repo == perlpi.Repository) || repo == DemoRepo {
		return "", "", false
	}
	s, err := parse(StandInRepo + repo + ":" + tagOf(ref))
	if err != nil {
		return "", "", false
	}
	player := "the kubeplay demo app"
	switch s.kind {
	case "shell":
		player = "kubeplay's shell"
	case "pause":
		player = "kubeplay's pause"
	case "perl":
		player = "kubeplay's perl stand-in, which runs only the documentation's pi example (perl -Mbignum=bpi -wle 'print bpi(N)')"
	}
	return s.ref, fmt.Sprintf("docker runtime: %s is played by %s (no registry is reached)", ref, player), true
}
