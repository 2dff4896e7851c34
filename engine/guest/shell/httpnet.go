package shell

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"syscall"
	"time"
)

// HTTPNet is the real network, for wget in a real container.
type HTTPNet struct {
	// Timeout bounds a whole request; zero means 30 seconds. An exec probe
	// has its own timeout, enforced by whoever runs it.
	Timeout time.Duration
}

var _ TimeoutNet = HTTPNet{}

// Get implements Net, with errors worded as busybox wget words them.
func (n HTTPNet) Get(rawURL string) (int, string, error) {
	timeout := n.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	return n.GetTimeout(rawURL, timeout)
}

// GetTimeout implements TimeoutNet (wget -T).
func (n HTTPNet) GetTimeout(rawURL string, timeout time.Duration) (int, string, error) {
	resp, err := (&http.Client{Timeout: timeout}).Get(rawURL)
	if err != nil {
		return 0, "", netErr(rawURL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, "", netErr(rawURL, err)
	}
	return resp.StatusCode, string(body), nil
}

func netErr(rawURL string, err error) error {
	host := rawURL
	if u, perr := url.Parse(rawURL); perr == nil {
		host = u.Hostname()
	}
	var dnsErr *net.DNSError
	var ne net.Error
	switch {
	case errors.As(err, &dnsErr):
		return fmt.Errorf("bad address '%s'", host)
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Errorf("can't connect to remote host (%s): Connection refused", host)
	case errors.As(err, &ne) && ne.Timeout():
		return errors.New("download timed out")
	}
	return err
}
