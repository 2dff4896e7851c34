package httpapi

// maxConnsCeiling is the most connections the API keeps open at once:
// thousands of watches (a class of learners, k9s) fit, and a flood of
// clients that open connections and trickle their requests waits in the
// kernel's backlog instead of taking every file descriptor kubeplay has.
const maxConnsCeiling = 8192

// maxConns leaves half the process's file descriptors to the rest of
// kubeplay (Docker, NodePorts, logs) when the limit is low.
func maxConns() int {
	n := maxConnsCeiling
	if lim := openFileLimit(); lim > 0 && lim/2 < n {
		n = max(lim/2, 64)
	}
	return n
}
