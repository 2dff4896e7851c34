package shell

import (
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"strconv"
	"strings"
	"time"
)

// wget is busybox wget over the cluster's Net: -q, -O FILE (- for stdout),
// -T SECONDS (accepted; the Net decides how long a request takes), --spider.
func (c *cmdCtx) wget(args []string) int {
	quiet, spider := false, false
	out, timeout := "", ""
	var urls []string
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
		case strings.HasPrefix(a, "--header=") || strings.HasPrefix(a, "--user-agent="):
		case a == "--output-document" || a == "--header" || a == "--user-agent":
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
		if c.wgetOne(raw, out, limit, quiet, spider) != 0 {
			rc = 1
		}
	}
	return rc
}

// TimeoutNet is a Net that can bound a request, for wget -T: the real
// network (a simulated one answers at once or not at all).
type TimeoutNet interface {
	Net
	GetTimeout(url string, timeout time.Duration) (status int, body string, err error)
}

func (c *cmdCtx) wgetOne(raw, out string, timeout time.Duration, quiet, spider bool) int {
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
	host := u.Host
	if u.Port() == "" {
		if u.Scheme == "https" {
			host += ":443"
		} else {
			host += ":80"
		}
	}
	if c.p.cfg.Net == nil {
		c.errf("wget: bad address '%s'\n", u.Hostname())
		return 1
	}
	resolved := false
	if _, real := c.p.cfg.Net.(ResolvingNet); !real {
		// The name is the container's to resolve: /etc/hosts, then the
		// cluster's DNS with the search path of its resolv.conf.
		addrs, _, err := c.lookupHost(u.Hostname())
		if err != nil {
			c.errf("wget: bad address '%s'\n", u.Hostname())
			return 1
		}
		host = addrs[0] + ":" + portOf(host)
		resolved = true
	}
	if !quiet {
		c.errf("Connecting to %s (%s)\n", u.Host, host)
	}
	get := c.p.cfg.Net.Get
	if tn, ok := c.p.cfg.Net.(TimeoutNet); ok && timeout > 0 {
		get = func(url string) (int, string, error) { return tn.GetTimeout(url, timeout) }
	}
	target := *u
	if resolved {
		target.Host = host
	}
	code, body, err := get(target.String())
	if err != nil {
		c.errf("wget: %v\n", err)
		return 1
	}
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

func portOf(hostport string) string {
	_, port, _ := strings.Cut(hostport[strings.LastIndexByte(hostport, ']')+1:], ":")
	return port
}
