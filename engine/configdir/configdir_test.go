package configdir

import "testing"

func TestEnvOverrides(t *testing.T) {
	t.Setenv(Env, "/somewhere")
	if d, _ := Dir(); d != "/somewhere" {
		t.Errorf("Dir = %s, want $%s", d, Env)
	}
}
