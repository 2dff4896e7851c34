// Package version is the Kubernetes kubeplay plays: the version its
// components report, for every part that says it (the nodes, the API's
// discovery and OpenAPI, the built-in kubectl) without starting anything.
package version

// Kubernetes is the version kubeplay's components report.
const Kubernetes = "v1.33.0"

// Git is the build kubeplay's apiserver and built-in kubectl say they
// are: the Kubernetes they follow, marked as kubeplay's.
const Git = Kubernetes + "-kubeplay"
