package demoapp

import "testing"

// TestStandInPort: a stand-in listens where the image it plays does, on
// both runtimes (they both Parse); PORT still wins.
func TestStandInPort(t *testing.T) {
	for _, tc := range []struct {
		image string
		env   map[string]string
		port  int
	}{
		{"nginx", nil, 80},
		{"nginx:1.14.2", nil, 80},
		{"docker.io/library/httpd:2.4", nil, 80},
		{"redis:7", nil, 6379},
		{"myapp:v1", nil, DefaultPort},
		{"kubeplay/demo:v1", nil, DefaultPort},
		{"nginx", map[string]string{"PORT": "9090"}, 9090},
	} {
		cfg, err := Parse(tc.image, tc.env)
		if err != nil || cfg.Port != tc.port {
			t.Errorf("Parse(%s, %v).Port = %d, %v; want %d", tc.image, tc.env, cfg.Port, err, tc.port)
		}
	}
}
