package shell

import (
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"strconv"
	"strings"
	"time"
)

// wget is busybox wget over the cluster's Net: -q, -O FILE (- for stdout),
// -T SECONDS, --spider, --header 'Name: value' and -U AGENT (sent as
// busybox sends them: a Host or User-Agent header replaces its own).
func (c *cmdCtx) wget(args []string) int {
	quiet, spider := false, false
	out, timeout := "", ""
	var urls []string
	var headers []Field
	header := func(h string) {
		if name, value, ok := strings.Cut(h, ":"); ok {
			headers = append(headers, Field{strings.TrimSpace(name), strings.TrimSpace(value)})
		}
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--spider":
			spider = true
		case a == "--quiet":
			quiet = true
		case strings.HasPrefix(a, "--output-document="):
			out = strings.TrimPrefix(a, "--output-document=")
		case strings.HasPrefix(a, "--timeout="):
			timeout = strings.TrimPrefix(a, "--timeout=")
		case a == "--timeout" && i+1 < len(args):
			i++
			timeout = args[i]
		case strings.HasPrefix(a, "--header="):
			header(strings.TrimPrefix(a, "--header="))
		case strings.HasPrefix(a, "--user-agent="):
			header("User-Agent: " + strings.TrimPrefix(a, "--user-agent="))
		case (a == "--header" || a == "--user-agent") && i+1 < len(args):
			i++
			if a == "--header" {
				header(args[i])
			} else {
				header("User-Agent: " + args[i])
			}
		case a == "--output-document":
			i++
		case len(a) > 1 && a[0] == '-' && a[1] != '-':
			for j := 1; j < len(a); j++ {
				switch f := a[j]; f {
				case 'q':
					quiet = true
				case 's', 'S', 'c', 'v':
				case 'O', 'T', 'U', 'Y', 'P':
					v := a[j+1:]
					if v == "" {
						if i+1 >= len(args) {
							c.errf("wget: option requires an argument -- '%c'\n", f)
							return 1
						}
						i++
						v = args[i]
					}
					switch f {
					case 'O':
						out = v
					case 'T':
						timeout = v
					case 'U':
						header("User-Agent: " + v)
					}
					j = len(a)
				default:
					c.errf("wget: unrecognized option '%s'\n", a)
					return 1
				}
			}
		default:
			urls = append(urls, a)
		}
	}
	if len(urls) == 0 {
		c.errf("wget: missing URL\n")
		return 1
	}
	var limit time.Duration
	if timeout != "" {
		secs, err := strconv.Atoi(timeout)
		if err != nil || secs < 0 {
			c.errf("wget: invalid number '%s'\n", timeout)
			return 1
		}
		limit = time.Duration(secs) * time.Second
	}
	rc := 0
	for _, raw := range urls {
		if c.wgetOne(raw, out, limit, headers, quiet, spider) != 0 {
			rc = 1
		}
	}
	return rc
}

func (c *cmdCtx) wgetOne(raw, out string, timeout time.Duration, headers []Field, quiet, spider bool) int {
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		c.errf("wget: bad address '%s'\n", strings.TrimPrefix(raw, "http://"))
		return 1
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		c.errf("wget: not an http or ftp url: %s\n", raw)
		return 1
	}
	resp, ok := c.wgetFetch(u, timeout, headers, quiet)
	if !ok {
		return 1
	}
	code, body := resp.Status, resp.Body
	if code >= 400 {
		c.errf("wget: server returned error: HTTP/1.1 %d %s\n", code, http.StatusText(code))
		return 1
	}
	if spider {
		if !quiet {
			c.errf("remote file exists\n")
		}
		return 0
	}
	if out == "-" {
		if !quiet {
			c.errf("writing to stdout\n")
		}
		io.WriteString(c.stdout, body)
		if !quiet {
			c.errf("written to stdout\n")
		}
		return 0
	}
	flag := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	if out == "" {
		out = path.Base(u.Path)
		if out == "/" || out == "." || out == "" {
			out = "index.html"
		}
		flag = os.O_WRONLY | os.O_CREATE | os.O_EXCL // busybox won't overwrite
	}
	var w io.Writer
	switch abs := resolve(c.dir, out); abs {
	case "/dev/null":
		w = io.Discard
	case "/dev/stdout":
		w = c.stdout
	default:
		h, err := c.p.cfg.FS.open(abs, flag, 0o644)
		if err != nil {
			c.errf("wget: can't open '%s': %s\n", out, fileErr(err))
			return 1
		}
		w = h
	}
	if !quiet {
		c.errf("saving to '%s'\n", out)
	}
	io.WriteString(w, body)
	if !quiet {
		c.errf("'%s' saved\n", out)
	}
	return 0
}

// wgetFetch GETs u, following redirects as busybox does (five at most),
// and says what went wrong when it reports false.
func (c *cmdCtx) wgetFetch(u *url.URL, timeout time.Duration, headers []Field, quiet bool) (Response, bool) {
	for redirects := 0; ; redirects++ {
		port := urlPort(u)
		addr, err := c.resolveHost(u.Hostname())
		if err != nil {
			c.errf("wget: bad address '%s'\n", u.Hostname())
			return Response{}, false
		}
		if !quiet {
			c.errf("Connecting to %s (%s)\n", u.Host, net.JoinHostPort(addr, port))
		}
		target := *u
		target.Host = net.JoinHostPort(addr, port)
		var fields []Field
		if !hasField(headers, "Host") {
			fields = append(fields, Field{"Host", u.Host})
		}
		if !hasField(headers, "User-Agent") {
			fields = append(fields, Field{"User-Agent", "Wget"})
		}
		fields = append(append(fields, Field{"Connection", "close"}), headers...)
		resp, err := c.p.cfg.Net.Do(Request{Method: "GET", URL: target.String(), Timeout: timeout, Header: fields})
		if err != nil {
			c.errf("wget: %v\n", err)
			return Response{}, false
		}
		loc := resp.Get("Location")
		switch resp.Status {
		case 301, 302, 303, 307, 308:
			if loc == "" {
				return resp, true
			}
		default:
			return resp, true
		}
		if redirects == 4 {
			c.errf("wget: too many redirections\n")
			return Response{}, false
		}
		next, err := u.Parse(loc)
		if err != nil {
			c.errf("wget: bad address '%s'\n", loc)
			return Response{}, false
		}
		u = next
	}
}
