package shell

import (
	"bufio"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Request is one HTTP/1.1 request a container's program sends over Net.
type Request struct {
	Method string
	// URL is absolute: http://HOST[:PORT]/PATH, HOST resolved to an
	// address unless the Net resolves names itself (ResolvingNet).
	URL string
	// Header are the request's header fields, in the order they go on
	// the wire; a Host field here is the Host header (else the URL's).
	Header []Field
	Body   string
	// Timeout bounds the whole request; zero is the Net's default. A
	// simulated network answers at once or not at all.
	Timeout time.Duration
}

// Field is one header line.
type Field struct{ Name, Value string }

// Response is what came back: the status line's code and reason, the
// header fields in the order they came, the body (none for HEAD).
type Response struct {
	Status int
	Reason string
	Header []Field
	Body   string
}

// Get returns the value of the first field named name.
func (r Response) Get(name string) string {
	for _, f := range r.Header {
		if strings.EqualFold(f.Name, name) {
			return f.Value
		}
	}
	return ""
}

// HTTPNet is the real network, for wget and curl in a real container.
type HTTPNet struct {
	// Timeout bounds a whole request without one of its own; zero means
	// 30 seconds. An exec probe has its own timeout, enforced by whoever
	// runs it.
	Timeout time.Duration
}

// Do implements Net over a real TCP connection: the request goes out as
// written (method, header fields in order, body) and the answer's header
// fields are kept in the order they came, as curl -i and -v print them.
// Errors are worded as busybox wget words them.
func (n HTTPNet) Do(req Request) (Response, error) {
	timeout := req.Timeout
	if timeout <= 0 {
		timeout = n.Timeout
	}
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	u, err := url.Parse(req.URL)
	if err != nil || u.Host == "" {
		return Response{}, fmt.Errorf("bad address '%s'", req.URL)
	}
	hostport := net.JoinHostPort(u.Hostname(), urlPort(u))
	deadline := time.Now().Add(timeout)
	conn, err := (&net.Dialer{Deadline: deadline}).Dial("tcp", hostport)
	if err != nil {
		return Response{}, netErr(req.URL, err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(deadline)
	if u.Scheme == "https" {
		// busybox wget speaks TLS without checking the server's
		// certificate ("TLS certificate validation not implemented").
		tc := tls.Client(conn, &tls.Config{InsecureSkipVerify: true, ServerName: u.Hostname()})
		if err := tc.Handshake(); err != nil {
			return Response{}, netErr(req.URL, err)
		}
		conn = tc
	}
	if _, err := io.WriteString(conn, wireRequest(req, u)); err != nil {
		return Response{}, netErr(req.URL, err)
	}
	resp, err := readResponse(bufio.NewReader(conn), req.Method)
	if err != nil {
		return Response{}, netErr(req.URL, err)
	}
	return resp, nil
}

// urlPort is the URL's port, or its scheme's (443 for https, else 80).
func urlPort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if u.Scheme == "https" {
		return "443"
	}
	return "80"
}

// wireRequest is the request as it goes on the wire. Without a Host
// field the URL's host is sent, first, as curl and wget do.
func wireRequest(req Request, u *url.URL) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\n", req.Method, u.RequestURI())
	if !hasField(req.Header, "Host") {
		fmt.Fprintf(&b, "Host: %s\r\n", u.Host)
	}
	for _, f := range req.Header {
		fmt.Fprintf(&b, "%s: %s\r\n", f.Name, f.Value)
	}
	b.WriteString("\r\n")
	b.WriteString(req.Body)
	return b.String()
}

func hasField(fields []Field, name string) bool {
	for _, f := range fields {
		if strings.EqualFold(f.Name, name) {
			return true
		}
	}
	return false
}

// readResponse reads one response, keeping its header lines' order.
func readResponse(br *bufio.Reader, method string) (Response, error) {
	var head strings.Builder
	var fields []Field
	status, reason := 0, ""
	for first := true; ; first = false {
		line, err := br.ReadString('\n')
		if err != nil {
			return Response{}, err
		}
		head.WriteString(line)
		line = strings.TrimRight(line, "\r\n")
		if first {
			_, rest, _ := strings.Cut(line, " ")
			code, why, _ := strings.Cut(rest, " ")
			if status, err = strconv.Atoi(code); err != nil {
				return Response{}, fmt.Errorf("malformed status line %q", line)
			}
			reason = why
			continue
		}
		if line == "" {
			break
		}
		if name, value, ok := strings.Cut(line, ":"); ok {
			fields = append(fields, Field{Name: name, Value: strings.TrimSpace(value)})
		}
	}
	// net/http reads the body: its length, chunks, or up to the close.
	hr, err := http.ReadResponse(bufio.NewReader(io.MultiReader(strings.NewReader(head.String()), br)), &http.Request{Method: method})
	if err != nil {
		return Response{}, err
	}
	defer hr.Body.Close()
	body, err := io.ReadAll(io.LimitReader(hr.Body, 16<<20))
	if err != nil {
		return Response{}, err
	}
	return Response{Status: status, Reason: reason, Header: fields, Body: string(body)}, nil
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
		// busybox names the address it connected to, not the name.
		var op *net.OpError
		if errors.As(err, &op) && op.Addr != nil {
			if h, _, err := net.SplitHostPort(op.Addr.String()); err == nil {
				host = h
			}
		}
		return fmt.Errorf("can't connect to remote host (%s): Connection refused", host)
	case errors.As(err, &ne) && ne.Timeout():
		return errors.New("download timed out")
	}
	return err
}
