package shell

import (
	"path"
	"strconv"
	"strings"
)

// A kubeplay container can run every command written here (kubeplay's
// image links each to its binary), but a real image has only some of
// them: busybox has wget and nslookup but no curl, nor bash; Debian has
// bash and getent, and curl only where the image installs it (nginx). A
// container has the commands of the image it plays, so that a command
// works, or fails, as in a pod of the real image: `sh: curl: not found`
// in busybox's shell, and an exec of it the container runtime's
// `executable file not found in $PATH` (LookPath).

// coreutils are the commands every image with a shell has (busybox's
// applets, or coreutils, grep, hostname and debianutils' which).
var coreutils = []string{"cat", "touch", "rm", "mkdir", "ls", "sleep", "env", "hostname", "date", "head", "tail",
	"wc", "grep", "which", "echo", "printf", "test", "[", "true", "false", "pwd"}

// The images' command sets, by what the image is built on.
var (
	// busyboxCommands: busybox's applets (no getent, curl, bash).
	busyboxCommands = commandSetOf(coreutils, "sh", "ash", "busybox", "wget", "nslookup", "ping")
	// alpineCommands: busybox, and musl-utils' getent.
	alpineCommands = commandSetOf(coreutils, "sh", "ash", "busybox", "wget", "nslookup", "ping", "getent")
	// debianCommands: dash as sh, bash, libc-bin's getent; no wget, curl,
	// ping or nslookup (debian, ubuntu, and the images built on them
	// that install none: httpd, redis).
	debianCommands = commandSetOf(coreutils, "sh", "dash", "bash", "getent")
	// With curl installed: nginx, in its Debian image and its Alpine one
	// (docker-nginx's Dockerfiles; not in alpine-slim), and php's images
	// (hpa-example's php-apache).
	debianCurlCommands = commandSetOf(coreutils, "sh", "dash", "bash", "getent", "curl")
	alpineCurlCommands = commandSetOf(coreutils, "sh", "ash", "busybox", "wget", "nslookup", "ping", "getent", "curl")
	// buildpack-deps, perl's base, has curl and wget.
	perlCommands = commandSetOf(coreutils, "sh", "dash", "bash", "getent", "curl", "wget")
	// Distroless and scratch images (the pause container, CoreDNS,
	// metrics-server) have no shell and no command at all.
	noCommands = map[string]bool{}
)

func commandSetOf(base []string, more ...string) map[string]bool {
	set := make(map[string]bool, len(base)+len(more))
	for _, c := range append(append([]string(nil), base...), more...) {
		set[c] = true
	}
	return set
}

// imageCommands is the set of kubeplay's commands that image has; nil
// for kubeplay's own images (the demo app), and for those whose content
// kubeplay does not know, which have them all.
func imageCommands(image string) map[string]bool {
	repo, tag := splitImage(image)
	alpine := strings.Contains(tag, "alpine")
	switch repo {
	case "busybox", "registry.k8s.io/busybox", "k8s.gcr.io/busybox":
		return busyboxCommands
	case "alpine":
		return alpineCommands
	case "nginx":
		switch {
		case strings.Contains(tag, "alpine-slim"):
			return alpineCommands
		case alpine:
			return alpineCurlCommands
		}
		return debianCurlCommands
	case "debian", "ubuntu", "httpd", "redis":
		if alpine {
			return alpineCommands
		}
		return debianCommands
	case "perl":
		return perlCommands
	case "registry.k8s.io/hpa-example":
		return debianCurlCommands
	case "registry.k8s.io/pause", "registry.k8s.io/coredns/coredns", "registry.k8s.io/metrics-server/metrics-server":
		return noCommands
	}
	return nil
}

// splitImage is an image reference's repository, without the
// docker.io/library prefix, and its tag ("latest" when it has none).
func splitImage(image string) (repo, tag string) {
	image, _, _ = strings.Cut(image, "@")
	repo, tag = image, "latest"
	if i := strings.LastIndexByte(image, ':'); i > strings.LastIndexByte(image, '/') {
		repo, tag = image[:i], image[i+1:]
	}
	return strings.TrimPrefix(strings.TrimPrefix(repo, "docker.io/"), "library/"), tag
}

// ImageHas reports whether a container of image has the command name:
// one of kubeplay's commands that the real image has too.
func ImageHas(image, name string) bool {
	if !isCommand(name) {
		return false
	}
	set := imageCommands(image)
	return set == nil || set[name]
}

// has reports whether the process's container has the command name.
func (p *Proc) has(name string) bool {
	return isCommand(name) && (p.commands == nil || p.commands[name])
}

// LookPath finds the program that an exec of name (kubectl exec, an exec
// probe) starts in a container of image, as the container runtime does
// before it starts anything: a name without a slash among the image's
// commands, a path in fs. With fs nil only the image's own commands are
// judged, and any other path is taken as found (its runtime looks). The
// error is runc's: exec: "curl": executable file not found in $PATH.
func LookPath(image string, fs FS, name string) error {
	if !strings.Contains(name, "/") {
		if ImageHas(image, name) {
			return nil
		}
		return &notFound{name: name, why: "executable file not found in $PATH"}
	}
	abs := resolve("/", name)
	dir, base := path.Split(abs)
	switch {
	case isBinDir(dir) && isCommand(base):
		if ImageHas(image, base) {
			return nil
		}
	case fs == nil || fs.Exists(abs):
		return nil
	}
	return &notFound{name: name, why: "stat " + abs + ": no such file or directory"}
}

// notFound is LookPath's error, worded as Go's os/exec words it in runc.
type notFound struct{ name, why string }

func (e *notFound) Error() string { return "exec: " + strconv.Quote(e.name) + ": " + e.why }
