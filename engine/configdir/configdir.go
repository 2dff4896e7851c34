// Package configdir says where kubeplay's own files are (lesson progress,
// the kubeconfig written for its API) and where kubectl reads its
// configuration: paths only, so that whatever needs them — the lessons,
// the API server, the TUI — imports nothing that starts a cluster.
package configdir

import (
	"os"
	"path/filepath"
)

// Env overrides the folder of kubeplay's own files (tests, portable
// installs).
const Env = "KUBEPLAY_CONFIG_DIR"

// Dir is the folder of kubeplay's own files (lesson progress, the
// playground's kubeconfig): $KUBEPLAY_CONFIG_DIR, else kubeplay/ in the
// user's config folder.
func Dir() (string, error) {
	if d := os.Getenv(Env); d != "" {
		return d, nil
	}
	d, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "kubeplay"), nil
}

// Kubeconfig is where kubectl reads its configuration: the first file of
// $KUBECONFIG, else ~/.kube/config.
func Kubeconfig() (string, error) {
	if v := os.Getenv("KUBECONFIG"); v != "" {
		for _, p := range filepath.SplitList(v) {
			if p != "" {
				return p, nil
			}
		}
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, ".kube", "config"), nil
}
