package docker

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"syscall"
	"time"

	"github.com/kubeplay/kubeplay/engine/guest/shell"
	"github.com/kubeplay/kubeplay/engine/runtime"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/client"
)

// maxProbeBody is how much of a probe's answer is read, as the kubelet's
// prober limits it.
const maxProbeBody = 10 << 10

// Exec implements runtime.Runtime. A binary that is missing gives exit
// code 126 and the OCI error as output, not a Go error. On a timeout the
// command is left to finish in the container, as the kubelet leaves it.
func (r *Runtime) Exec(id string, cmd []string, timeout time.Duration) (runtime.ExecResult, error) {
	return r.ExecStdin(id, cmd, nil, timeout)
}

// ExecStdin implements runtime.StdinExecer: Exec with stdin, whole, as
// the command's standard input (nil: none).
func (r *Runtime) ExecStdin(id string, cmd []string, stdin []byte, timeout time.Duration) (runtime.ExecResult, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var out bytes.Buffer // one writer for both streams keeps their order
	streams := runtime.ExecStreams{Stdout: &out, Stderr: &out}
	if stdin != nil {
		streams.Stdin = bytes.NewReader(stdin)
	}
	code, err := r.ExecStream(ctx, id, cmd, streams)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return runtime.ExecResult{ExitCode: -1, Output: out.Bytes(), TimedOut: true}, nil
	case err != nil:
		return runtime.ExecResult{}, err
	}
	return runtime.ExecResult{ExitCode: code, Output: out.Bytes()}, nil
}

// ExecStream implements runtime.Streamer over the daemon's exec attach:
// a hijacked connection carrying stdin one way and the output the other
// (multiplexed without a TTY, raw with one).
func (r *Runtime) ExecStream(ctx context.Context, id string, cmd []string, s runtime.ExecStreams) (int, error) {
	if res, missing := r.missingInImage(id, cmd); missing {
		_, err := orDiscard(s.Stdout).Write(res.Output)
		return res.ExitCode, err
	}
	cctx, cancel := call()
	ex, err := r.cli.ExecCreate(cctx, id, client.ExecCreateOptions{Cmd: cmd, TTY: s.TTY,
		AttachStdin: s.Stdin != nil, AttachStdout: true, AttachStderr: true})
	cancel()
	if err != nil {
		return 0, fmt.Errorf("docker: exec in container %s: %w", short(id), err)
	}
	// The session lasts as long as the command: no call timeout.
	att, err := r.cli.ExecAttach(ctx, ex.ID, client.ExecAttachOptions{TTY: s.TTY})
	if err != nil {
		return 0, fmt.Errorf("docker: exec in container %s: %w", short(id), err)
	}
	defer att.Close()
	if s.Stdin != nil {
		go func() {
			// Ends when stdin does (then the command reads its end) or
			// when the connection closes under it.
			_, _ = io.Copy(att.Conn, s.Stdin)
			_ = att.CloseWrite()
		}()
	}
	ended := make(chan struct{})
	defer close(ended)
	if s.TTY && s.Resize != nil {
		go r.followResizes(ex.ID, s.Resize, ended)
	}
	stdout, stderr := orDiscard(s.Stdout), orDiscard(s.Stderr)
	copied := make(chan error, 1)
	go func() {
		var err error
		if s.TTY {
			_, err = io.Copy(stdout, att.Reader)
		} else {
			_, err = stdcopy.StdCopy(stdout, stderr, att.Reader)
		}
		copied <- err
	}()
	select {
	case err = <-copied:
	case <-ctx.Done():
		att.Close()
		<-copied // the writers are the caller's again
		return -1, ctx.Err()
	}
	if err != nil {
		return 0, fmt.Errorf("docker: exec in container %s: read output: %w", short(id), err)
	}
	cctx, cancel = call()
	defer cancel()
	return r.execCode(cctx, ex.ID)
}

// missingInImage is the daemon's answer to an exec of a command that a
// stand-in's image links (all of kubeplay's) but the image it plays does
// not have (curl in busybox), given without asking the daemon, which
// would run it.
func (r *Runtime) missingInImage(id string, cmd []string) (runtime.ExecResult, bool) {
	r.mu.Lock()
	c := r.containers[id]
	r.mu.Unlock()
	if c == nil || c.plays == "" || len(cmd) == 0 {
		return runtime.ExecResult{}, false
	}
	if err := shell.LookPath(c.plays, nil, cmd[0]); err != nil {
		return runtime.ExecNotFound(err), true
	}
	return runtime.ExecResult{}, false
}

// followResizes passes the client's terminal sizes on to the exec's TTY
// until it ends. The first may come before the daemon has started the
// process, which refuses it: it is tried again a few times, as the
// docker CLI does, or the TTY would stay 0×0 until the next resize.
func (r *Runtime) followResizes(execID string, sizes <-chan runtime.TermSize, ended <-chan struct{}) {
	first := true
	for {
		select {
		case sz, ok := <-sizes:
			if !ok {
				return
			}
			for try, wait := 0, 10*time.Millisecond; ; try, wait = try+1, 2*wait {
				ctx, cancel := call()
				_, err := r.cli.ExecResize(ctx, execID, client.ExecResizeOptions{Width: uint(sz.Width), Height: uint(sz.Height)})
				cancel()
				if err == nil || !first || try == 5 {
					break
				}
				select {
				case <-time.After(wait):
				case <-ended:
					return
				}
			}
			first = false
		case <-ended:
			return
		}
	}
}

func orDiscard(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return w
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
func (r *Runtime) ProbeHTTP(id string, port int, path string, https bool, timeout time.Duration) (int, string, error) {
	addr, err := r.target(id, port)
	if err != nil {
		return 0, "", err
	}
	scheme := "http"
	if https {
		scheme = "https"
	}
	// The kubelet's prober: no certificate check, no proxy, no reuse.
	transport := &http.Transport{DisableKeepAlives: true, Proxy: nil, TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}
	hc := &http.Client{Timeout: timeout, Transport: transport,
		// The kubelet does not follow redirects to other hosts; a probe
		// judges the first answer.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, err := http.NewRequest(http.MethodGet, scheme+"://"+addr+path, nil)
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("User-Agent", "kube-probe/1.33")
	resp, err := hc.Do(req)
	if err != nil {
		// The kubelet words the URL itself: `Get "URL": ` and the cause.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
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
