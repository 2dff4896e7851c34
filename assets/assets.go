// Package assets holds the files kubeplay embeds in its binary: the
// lessons and the example manifests. Embedding keeps kubeplay one file to
// download, with nothing to find on disk at run time.
package assets

import "embed"

// FS holds lessons/ (one YAML file per lesson, plus the manifests they
// apply), examples/ (sample manifests) and exam/ (one YAML file per exam
// task).
//
//go:embed lessons examples exam
var FS embed.FS
