package docker

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"syscall"
	"time"

	"github.com/kubeplay/kubeplay/engine/runtime"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/client"
)

// maxProbeBody is how much of a probe's answer is read, as the kubelet's
// prober limits it.
const maxProbeBody = 10 << 10

// Exec implements runtime.Runtime. ExecAttach starts the command; a
// binary that is missing gives exit code 126 and the OCI error as output,
// not a Go error. On a timeout the command is left to finish in the
// container, as the kubelet leaves it.
func (r *Runtime) Exec(id string, cmd []string, timeout time.Duration) (runtime.ExecResult, error) {
	ctx, cancel := call()
	defer cancel()
	ex, err := r.cli.ExecCreate(ctx, id, client.ExecCreateOptions{Cmd: cmd, AttachStdout: true, AttachStderr: true})
	if err != nil {
		return runtime.ExecResult{}, fmt.Errorf("docker: exec in container %s: %w", short(id), err)
	}
	att, err := r.cli.ExecAttach(ctx, ex.ID, client.ExecAttachOptions{})
	if err != nil {
		return runtime.ExecResult{}, fmt.Errorf("docker: exec in container %s: %w", short(id), err)
	}
	defer att.Close()
	var out bytes.Buffer // one writer for both streams keeps their order
	copied := make(chan error, 1)
	go func() {
		_, err := stdcopy.StdCopy(&out, &out, att.Reader)
		copied <- err
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case err = <-copied:
	case <-timer.C:
		att.Close()
		<-copied // out is ours again
		return runtime.ExecResult{ExitCode: -1, Output: out.Bytes(), TimedOut: true}, nil
	}
	if err != nil {
		return runtime.ExecResult{}, fmt.Errorf("docker: exec in container %s: read output: %w", short(id), err)
	}
	code, err := r.execCode(ctx, ex.ID)
	if err != nil {
		return runtime.ExecResult{}, err
	}
	return runtime.ExecResult{ExitCode: code, Output: out.Bytes()}, nil
}

// execCode waits for an ended exec's exit code: the daemon may still say
// it runs for a moment after its output stream closed.
func (r *Runtime) execCode(ctx context.Context, execID string) (int, error) {
	for wait := time.Millisecond; ; wait = min(2*wait, 50*time.Millisecond) {
		ins, err := r.cli.ExecInspect(ctx, execID, client.ExecInspectOptions{})
		if err != nil {
			return 0, fmt.Errorf("docker: exec %s: %w", short(execID), err)
		}
		if !ins.Running {
			return ins.ExitCode, nil
		}
		select {
		case <-ctx.Done():
			return 0, fmt.Errorf("docker: exec %s: no exit code: %w", short(execID), ctx.Err())
		case <-time.After(wait):
		}
	}
}

// target is where a probe of a container dials: its pod IP and port. An
// exited container refuses, as its process no longer listens.
func (r *Runtime) target(id string, port int) (string, error) {
	r.mu.Lock()
	c := r.containers[id]
	r.mu.Unlock()
	if c == nil || c.exited || c.ip == "" {
		return "", runtime.ErrConnRefused
	}
	return net.JoinHostPort(c.ip, strconv.Itoa(port)), nil
}

// ProbeHTTP implements runtime.Runtime: a GET from the host to the pod IP,
// on a fresh connection each time, as the kubelet probes.
func (r *Runtime) ProbeHTTP(id string, port int, path string, timeout time.Duration) (int, string, error) {
	addr, err := r.target(id, port)
	if err != nil {
		return 0, "", err
	}
	hc := &http.Client{Timeout: timeout, Transport: &http.Transport{DisableKeepAlives: true, Proxy: nil},
		// The kubelet does not follow redirects to other hosts; a probe
		// judges the first answer.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, err := http.NewRequest(http.MethodGet, "http://"+addr+path, nil)
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("User-Agent", "kube-probe/1.33")
	resp, err := hc.Do(req)
	if err != nil {
		return 0, "", dialErr(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxProbeBody))
	if err != nil {
		return 0, "", err
	}
	return resp.StatusCode, string(body), nil
}

// ProbeTCP implements runtime.Runtime: a connection from the host.
func (r *Runtime) ProbeTCP(id string, port int, timeout time.Duration) error {
	addr, err := r.target(id, port)
	if err != nil {
		return err
	}
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return dialErr(err)
	}
	return conn.Close()
}

// dialErr maps a refused connection to runtime.ErrConnRefused, which the
// kubelet words as Kubernetes does.
func dialErr(err error) error {
	if errors.Is(err, syscall.ECONNREFUSED) {
		return runtime.ErrConnRefused
	}
	return err
}

// Logs implements runtime.Runtime: stdout and stderr, demultiplexed.
func (r *Runtime) Logs(id string, w io.Writer) error {
	ctx, cancel := call()
	defer cancel()
	rc, err := r.cli.ContainerLogs(ctx, id, client.ContainerLogsOptions{ShowStdout: true, ShowStderr: true})
	if err != nil {
		return fmt.Errorf("docker: logs of container %s: %w", short(id), err)
	}
	defer rc.Close()
	_, err = stdcopy.StdCopy(w, w, rc)
	return err
}
