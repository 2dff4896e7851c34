package shell

import (
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// curlVersion is the curl whose output kubeplay's curl prints (-v's
// User-Agent and lines, curlimages/curl 8.14.1).
const curlVersion = "8.14.1"

// curlOpts are a curl command line's options.
type curlOpts struct {
	silent, showErr, fail, follow, verbose, include, head bool
	insecure                                              bool // -k: https without checking the certificate
	out, write, limit, method                             string
	headers                                               []string // -H, as given
	data                                                  []string // -d, joined with & when sent
	posted                                                bool     // a -d was given (even empty)
	urls                                                  []string
}

// curlCertProblem is curl 8's answer to a server certificate it cannot
// verify.
const curlCertProblem = `curl: (60) SSL certificate problem: unable to get local issuer certificate
More details here: https://curl.se/docs/sslcerts.html

curl failed to verify the legitimacy of the server and therefore could not
establish a secure connection to it. To learn more about this situation and
how to fix it, please visit the webpage mentioned above.
`

// curlFlags are curl's options without a value, by their short name.
var curlFlags = map[string]byte{"--silent": 's', "--show-error": 'S', "--fail": 'f', "--location": 'L',
	"--verbose": 'v', "--include": 'i', "--head": 'I', "--insecure": 'k'}

// curlValued are curl's options that take a value, by their short name
// (kubeplay's own letter for those without one): the --data family
// sends the value as -d does, --data-binary an @file's newlines too,
// --data-raw no @file; --connect-timeout is taken and left to -m.
var curlValued = map[string]byte{"--output": 'o', "--max-time": 'm', "--write-out": 'w', "--request": 'X',
	"--header": 'H', "--data": 'd', "--data-ascii": 'd', "--data-binary": 'b', "--data-raw": 'r', "--user-agent": 'A',
	"--connect-timeout": 'c'}

// curl is curl over the cluster's Net: GET, HEAD (-I), POST (-d) or any
// method (-X), with request headers (-H, -A), the answer's headers on
// stdout (-i, -I) or the whole exchange on stderr (-v), as curl prints
// them; -s, -S, -f, -L, -o FILE, -m SECONDS, -w FORMAT; curl's error
// messages and exit codes (6 could not resolve host, 7 failed to
// connect, 28 timed out, 22 with -f on an error status, 2 a bad option).
// It prints no progress meter.
func (c *cmdCtx) curl(args []string) int {
	var o curlOpts
	set := func(flag byte, v string) {
		switch flag {
		case 'o':
			o.out = v
		case 'm':
			o.limit = v
		case 'w':
			o.write = v
		case 'X':
			o.method = v
		case 'H':
			o.headers = append(o.headers, v)
		case 'A':
			o.headers = append(o.headers, "User-Agent: "+v)
		case 'd', 'b', 'r':
			if flag != 'r' && strings.HasPrefix(v, "@") {
				text, ok := c.readFile(resolve(c.dir, v[1:]))
				if !ok {
					c.errf("Warning: Couldn't read data from file \"%s\", this makes an empty \nWarning: POST.\n", v[1:])
				}
				v = text
				if flag == 'd' {
					v = strings.NewReplacer("\r", "", "\n", "").Replace(text)
				}
			}
			o.data = append(o.data, v)
			o.posted = true
		}
	}
	switches := map[byte]*bool{'s': &o.silent, 'S': &o.showErr, 'f': &o.fail, 'L': &o.follow, 'v': &o.verbose,
		'i': &o.include, 'I': &o.head, 'k': &o.insecure}
	flag := func(f byte) bool {
		if p, ok := switches[f]; ok {
			*p = true
		}
		return switches[f] != nil
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		value := func() (string, bool) {
			if i+1 >= len(args) {
				c.errf("curl: option %s: requires parameter\ncurl: try 'curl --help' or 'curl --manual' for more information\n", a)
				return "", false
			}
			i++
			return args[i], true
		}
		switch {
		case curlFlags[a] != 0:
			flag(curlFlags[a])
		case curlValued[a] != 0:
			v, ok := value()
			if !ok {
				return 2
			}
			set(curlValued[a], v)
		case strings.HasPrefix(a, "--"):
			c.errf("curl: option %s: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n", a)
			return 2
		case len(a) > 1 && a[0] == '-':
			for j := 1; j < len(a); j++ {
				f := a[j]
				if flag(f) {
					continue
				}
				if !strings.ContainsRune("omwXHdA", rune(f)) {
					c.errf("curl: option -%c: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n", f)
					return 2
				}
				v := a[j+1:]
				if v == "" {
					var ok bool
					if v, ok = value(); !ok {
						return 2
					}
				}
				set(f, v)
				break
			}
		default:
			o.urls = append(o.urls, a)
		}
	}
	if o.head && o.posted {
		c.errf("Warning: You can only select one HTTP request method! You asked for both POST \nWarning: (-d, --data) and HEAD (-I, --head).\n")
		return 2
	}
	if len(o.urls) == 0 {
		c.errf("curl: no URL specified\ncurl: try 'curl --help' or 'curl --manual' for more information\n")
		return 2
	}
	var timeout time.Duration
	if o.limit != "" {
		secs, err := strconv.ParseFloat(o.limit, 64)
		if err != nil || secs < 0 {
			c.errf("curl: option -m: expected a proper numerical parameter\ncurl: try 'curl --help' or 'curl --manual' for more information\n")
			return 2
		}
		timeout = time.Duration(secs * float64(time.Second))
	}
	rc := 0
	for n, raw := range o.urls {
		if code := c.curlOne(&o, raw, n, timeout); code != 0 {
			rc = code
		}
	}
	return rc
}

// curlSay prints an error unless -s hides it (-S shows it again).
func (c *cmdCtx) curlSay(o *curlOpts, format string, a ...any) {
	if !o.silent || o.showErr {
		c.errf(format, a...)
	}
}

// verbosef prints one of -v's lines on stderr.
func (c *cmdCtx) verbosef(o *curlOpts, format string, a ...any) {
	if o.verbose {
		c.errf(format, a...)
	}
}

// curlRequest is the request curl sends for u: curl's own header lines
// (Host, User-Agent, Accept) with -H's in their place or after them, a
// header given as "Name:" removes curl's own, "Name;" sends it empty.
func curlRequest(o *curlOpts, u *url.URL, posting bool) []Field {
	own := []Field{{"Host", u.Host}, {"User-Agent", "curl/" + curlVersion}, {"Accept", "*/*"}}
	var custom []Field
	for _, h := range o.headers {
		name, value, colon := strings.Cut(h, ":")
		if !colon {
			if n, ok := strings.CutSuffix(h, ";"); ok {
				custom = append(custom, Field{n, ""})
			}
			continue // curl ignores a header without a colon
		}
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		replaced := false
		for i, f := range own {
			if strings.EqualFold(f.Name, name) {
				replaced = true
				if value == "" || !strings.EqualFold(name, "Host") {
					own[i].Name = "" // dropped here; a value goes with the custom ones
				} else {
					own[i].Value = value // Host keeps its place
				}
			}
		}
		if value != "" && !(replaced && strings.EqualFold(name, "Host")) {
			custom = append(custom, Field{name, value})
		}
	}
	var fields []Field
	for _, f := range own {
		if f.Name != "" {
			fields = append(fields, f)
		}
	}
	fields = append(fields, custom...)
	if posting {
		body := strings.Join(o.data, "&")
		fields = append(fields, Field{"Content-Length", strconv.Itoa(len(body))})
		if !hasField(fields, "Content-Type") {
			fields = append(fields, Field{"Content-Type", "application/x-www-form-urlencoded"})
		}
	}
	return fields
}

func (c *cmdCtx) curlOne(o *curlOpts, raw string, conn int, timeout time.Duration) int {
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		c.curlSay(o, "curl: (3) URL rejected: Malformed input to a URL function\n")
		return 3
	}
	switch {
	case u.Scheme == "https" && !o.insecure:
		// No pod trusts the cluster's certificates unless told to
		// (--cacert the service account's ca.crt): curl refuses, as it
		// does in a real pod. kubeplay's curl takes -k only.
		c.curlSay(o, "%s", curlCertProblem)
		return 60
	case u.Scheme != "http" && u.Scheme != "https":
		c.curlSay(o, "curl: (1) Protocol \"%s\" not supported\n", u.Scheme)
		return 1
	}
	if u.Path == "" {
		u.Path = "/"
	}
	method, posting := "GET", o.posted
	switch {
	case o.head:
		method = "HEAD"
	case posting:
		method = "POST"
	}
	if o.method != "" {
		method = o.method
	}
	redirects := 0
	for {
		resp, addr, rc := c.curlExchange(o, method, u, posting, conn, timeout)
		if rc != 0 {
			return rc
		}
		loc := resp.Get("Location")
		if o.follow && loc != "" && resp.Status/100 == 3 {
			next, err := u.Parse(loc)
			if err != nil {
				c.curlSay(o, "curl: (3) URL rejected: Malformed input to a URL function\n")
				return 3
			}
			if redirects++; redirects > 50 {
				c.curlSay(o, "curl: (47) Maximum (50) redirects followed\n")
				return 47
			}
			c.curlWrite(o, resp, u, method, addr, conn, redirects-1, false)
			c.verbosef(o, "* Issue another request to this URL: '%s'\n", next)
			if resp.Status == 303 || (resp.Status == 301 || resp.Status == 302) && method == "POST" && o.method == "" {
				c.verbosef(o, "* Switch to GET\n")
				method, posting = "GET", false
			}
			u = next
			continue
		}
		if o.fail && resp.Status >= 400 {
			c.verbosef(o, "* The requested URL returned error: %d\n* closing connection #%d\n", resp.Status, conn)
			c.curlSay(o, "curl: (22) The requested URL returned error: %d\n", resp.Status)
			return 22
		}
		if !c.curlWrite(o, resp, u, method, addr, conn, redirects, true) {
			c.curlSay(o, "curl: (23) Failure writing output to destination\n")
			return 23
		}
		return 0
	}
}

// curlExchange sends one request and returns the answer and the address
// it came from, or curl's exit code once it said why it failed.
func (c *cmdCtx) curlExchange(o *curlOpts, method string, u *url.URL, posting bool, conn int, timeout time.Duration) (Response, string, int) {
	port := urlPort(u)
	host := u.Hostname()
	addr, err := c.resolveHost(host)
	if err != nil {
		c.verbosef(o, "* Could not resolve host: %s\n* shutting down connection #%d\n", host, conn)
		c.curlSay(o, "curl: (6) Could not resolve host: %s\n", host)
		return Response{}, "", 6
	}
	if net.ParseIP(host) == nil && net.ParseIP(addr) != nil {
		c.verbosef(o, "* Host %s:%s was resolved.\n* IPv6: (none)\n* IPv4: %s\n", host, port, addr)
	}
	c.verbosef(o, "*   Trying %s...\n", net.JoinHostPort(addr, port))
	fields := curlRequest(o, u, posting)
	body := ""
	if posting {
		body = strings.Join(o.data, "&")
	}
	target := *u
	target.Host = net.JoinHostPort(addr, port)
	resp, err := c.p.cfg.Net.Do(Request{Method: method, URL: target.String(), Header: fields, Body: body, Timeout: timeout})
	if err != nil {
		switch msg := err.Error(); {
		case strings.Contains(msg, "bad address"):
			c.verbosef(o, "* Could not resolve host: %s\n* shutting down connection #%d\n", host, conn)
			c.curlSay(o, "curl: (6) Could not resolve host: %s\n", host)
			return Response{}, "", 6
		case strings.Contains(msg, "timed out"):
			c.verbosef(o, "* Connection timed out after %d milliseconds\n* closing connection #%d\n", timeout.Milliseconds(), conn)
			c.curlSay(o, "curl: (28) Connection timed out after %d milliseconds\n", timeout.Milliseconds())
			return Response{}, "", 28
		default:
			c.verbosef(o, "* Failed to connect to %s port %s after 0 ms: Couldn't connect to server\n* closing connection #%d\n", host, port, conn)
			c.curlSay(o, "curl: (7) Failed to connect to %s port %s after 0 ms: Couldn't connect to server\n", host, port)
			return Response{}, "", 7
		}
	}
	if o.verbose {
		c.errf("* Connected to %s (%s) port %s\n* using HTTP/1.x\n", host, addr, port)
		c.errf("> %s %s HTTP/1.1\r\n", method, u.RequestURI())
		for _, f := range fields {
			c.errf("> %s: %s\r\n", f.Name, f.Value)
		}
		c.errf("> \r\n")
		if posting {
			if body != "" {
				c.errf("} [%d bytes data]\n", len(body))
			}
			c.errf("* upload completely sent off: %d bytes\n", len(body))
		} else {
			c.errf("* Request completely sent off\n")
		}
		c.errf("< HTTP/1.1 %d %s\r\n", resp.Status, resp.Reason)
		for _, f := range resp.Header {
			c.errf("< %s: %s\r\n", f.Name, f.Value)
		}
		c.errf("< \r\n")
	}
	return resp, addr, 0
}

// curlWrite writes one answer where curl would: its status line and
// headers with -i or -I, its body (last only), -w's line; -v's data and
// closing lines. It reports false when the output cannot be written.
func (c *cmdCtx) curlWrite(o *curlOpts, resp Response, u *url.URL, method, addr string, conn, redirects int, last bool) bool {
	var w io.Writer = c.stdout
	switch abs := resolve(c.dir, o.out); {
	case o.out == "" || o.out == "-" || abs == "/dev/stdout":
	case abs == "/dev/null":
		w = io.Discard
	default:
		h, err := c.p.cfg.FS.open(abs, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
		if err != nil {
			return false
		}
		c.closers = append(c.closers, h)
		w = h
	}
	if o.include || o.head {
		fmt.Fprintf(w, "HTTP/1.1 %d %s\r\n", resp.Status, resp.Reason)
		for _, f := range resp.Header {
			fmt.Fprintf(w, "%s: %s\r\n", f.Name, f.Value)
		}
		io.WriteString(w, "\r\n")
	}
	if resp.Body != "" && method != "HEAD" {
		c.verbosef(o, "{ [%d bytes data]\n", len(resp.Body))
	}
	// curl's stdout into a pipe is flushed when it exits: after its last
	// -v line, as `kubectl exec … -- curl -v … 2>&1` shows it.
	c.verbosef(o, "* Connection #%d to host %s left intact\n", conn, u.Hostname())
	if last && method != "HEAD" {
		io.WriteString(w, resp.Body)
	}
	if last && o.write != "" {
		io.WriteString(c.stdout, c.writeOut(o.write, map[string]string{
			"http_code": fmt.Sprintf("%03d", resp.Status), "response_code": fmt.Sprintf("%03d", resp.Status),
			"url_effective": u.String(), "method": method, "content_type": resp.Get("Content-Type"),
			"size_download": strconv.Itoa(len(resp.Body)), "num_redirects": strconv.Itoa(redirects),
			"remote_ip": addr, "remote_port": urlPort(u), "scheme": u.Scheme,
		}))
	}
	return true
}

// writeOut expands -w's format: %{variable}, %% and the \n, \r, \t
// escapes; a variable curl has that kubeplay's does not know is warned
// of and left out, as curl does with unknown ones.
func (c *cmdCtx) writeOut(format string, vars map[string]string) string {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		switch ch := format[i]; {
		case ch == '%' && strings.HasPrefix(format[i:], "%{"):
			end := strings.IndexByte(format[i:], '}')
			if end < 0 {
				b.WriteString(format[i:])
				return b.String()
			}
			name := format[i+2 : i+end]
			if v, ok := vars[name]; ok {
				b.WriteString(v)
			} else {
				c.errf("curl: unknown --write-out variable: '%s'\n", name)
			}
			i += end
		case ch == '%' && strings.HasPrefix(format[i:], "%%"):
			b.WriteByte('%')
			i++
		case ch == '\\' && i+1 < len(format) && strings.IndexByte("nrt\\", format[i+1]) >= 0:
			b.WriteByte(map[byte]byte{'n': '\n', 'r': '\r', 't': '\t', '\\': '\\'}[format[i+1]])
			i++
		default:
			b.WriteByte(ch)
		}
	}
	return b.String()
}
