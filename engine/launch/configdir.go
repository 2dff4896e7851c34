package launch

import (
	"os"
	"path/filepath"
)

// ConfigDirEnv overrides the folder of kubeplay's own files (tests,
// portable installs).
const ConfigDirEnv = "KUBEPLAY_CONFIG_DIR"

// ConfigDir is the folder of kubeplay's own files (lesson progress, the
// playground's kubeconfig): $KUBEPLAY_CONFIG_DIR, else kubeplay/ in the
// user's config folder.
func ConfigDir() (string, error) {
	if d := os.Getenv(ConfigDirEnv); d != "" {
		return d, nil
	}
	d, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "kubeplay"), nil
}
