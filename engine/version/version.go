// Package version is the Kubernetes kubeplay plays: the version its
// components report, for every part that says it (the nodes, the API's
// discovery and OpenAPI, the built-in kubectl) without starting anything.
package version

import (
	"strings"

	versioninfo "k8s.io/apimachinery/pkg/version"
)

// Kubernetes is the version kubeplay's components report.
const Kubernetes = "v1.33.0"

// Git is the build kubeplay's apiserver and built-in kubectl say they
// are: the Kubernetes they follow, marked as kubeplay's.
const Git = Kubernetes + "-kubeplay"

// Info is what the apiserver answers at /version.
func Info() versioninfo.Info {
	parts := strings.SplitN(strings.TrimPrefix(Kubernetes, "v"), ".", 3)
	return versioninfo.Info{Major: parts[0], Minor: parts[1], GitVersion: Git,
		GoVersion: "go1.24", Compiler: "gc", Platform: "linux/amd64", BuildDate: "2026-01-01T00:00:00Z"}
}
