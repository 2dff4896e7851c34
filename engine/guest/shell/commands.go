package shell

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/term"
	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/interp"
)

// cmdCtx is one command being run by the shell.
type cmdCtx struct {
	p              *Proc
	ctx            context.Context
	hc             interp.HandlerContext
	sh             string    // the shell's name, for its messages
	stdin          io.Reader // never nil
	stdinFile      *os.File  // the raw stdin, handed to child shells; may be nil
	stdout, stderr io.Writer
	env            expand.Environ
	dir            string
	held           int64       // bytes of buffers counted against the memory limit
	closers        []io.Closer // files the command opened
}

// exec is the interpreter's exec handler: every command that is not a shell
// builtin or function lands here, and none of them starts a host process.
func (p *Proc) exec(ctx context.Context, sh string, args []string) error {
	hc := interp.HandlerCtx(ctx)
	f, _ := hc.Stdin.(*os.File)
	c := &cmdCtx{p: p, ctx: ctx, hc: hc, sh: sh, stdin: stdinOf(hc.Stdin), stdinFile: f,
		stdout: hc.Stdout, stderr: hc.Stderr, env: hc.Env, dir: hc.Dir}
	return c.run(args)
}

// commands are the commands a kubeplay container can have, besides the
// interpreter's builtins: each has those its image has (images.go).
var commands = []string{"sh", "bash", "ash", "dash", "busybox", "cat", "touch", "rm", "mkdir", "ls", "sleep",
	"env", "hostname", "date", "wget", "head", "tail", "wc", "grep", "which",
	"echo", "printf", "test", "[", "true", "false", "pwd", "nslookup", "getent", "curl", "ping"}

var commandSet = func() map[string]bool {
	m := make(map[string]bool, len(commands))
	for _, c := range commands {
		m[c] = true
	}
	return m
}()

func isCommand(name string) bool { return commandSet[name] }

// Commands lists the commands the shell provides, in no particular order:
// kubeplay's image links each of them to the kubeplay binary, busybox style.
func Commands() []string { return append([]string(nil), commands...) }

func isBinDir(dir string) bool {
	switch dir {
	case "/bin/", "/usr/bin/", "/sbin/", "/usr/sbin/", "/usr/local/bin/":
		return true
	}
	return false
}

func status(code int) error {
	if code == 0 {
		return nil
	}
	return interp.ExitStatus(uint8(code))
}

func (c *cmdCtx) errf(format string, a ...any) { fmt.Fprintf(c.stderr, format, a...) }

func (c *cmdCtx) run(args []string) error {
	name := args[0]
	switch name {
	case "\x00which":
		return status(c.which(args[1:], args[1] == "-V"))
	case memCheck:
		return nil // the call handler checked
	case "\x00random":
		c.p.mu.Lock()
		n := c.p.rng.IntN(32768)
		c.p.mu.Unlock()
		fmt.Fprintln(c.stdout, n)
		return nil
	}
	cmd := name
	if name == "\x00echo" || name == "\x00printf" {
		cmd = name[1:] // the shell's own, as busybox's sh has them built in
	} else if strings.Contains(name, "/") {
		abs := resolve(c.dir, name)
		dir, base := path.Split(abs)
		if !isBinDir(dir) || !isCommand(base) {
			return c.execFile(name, abs, args[1:])
		}
		if !c.p.has(base) {
			// kubeplay's image links it there, the real image has no such file.
			c.errf("%s: %s: not found\n", c.sh, name)
			return interp.ExitStatus(127)
		}
		cmd = base
	} else if !c.p.has(name) {
		if c.sh == "bash" {
			c.errf("bash: %s: command not found\n", name)
		} else {
			c.errf("%s: %s: not found\n", c.sh, name)
		}
		return interp.ExitStatus(127)
	}
	rest := args[1:]
	switch cmd {
	case "sh", "ash", "dash", "bash":
		return c.shell(cmd, rest)
	case "busybox":
		if len(rest) == 0 {
			fmt.Fprintln(c.stdout, "BusyBox v1.36.1 (kubeplay) multi-call binary.")
			return nil
		}
		if strings.Contains(rest[0], "/") || !c.p.has(rest[0]) {
			c.errf("%s: applet not found\n", rest[0])
			return interp.ExitStatus(127)
		}
		return c.run(rest)
	case "test", "[", "true", "false", "pwd":
		if writingBuiltins[cmd] && brokenPipe(c.stdout) {
			return interp.ExitStatus(sigpipeStatus)
		}
		return c.hc.Builtin(c.ctx, append([]string{cmd}, rest...))
	}
	out := &pipeOut{w: c.stdout, name: cmd, stderr: c.stderr}
	c.stdout = out
	defer c.done()
	err := c.command(cmd, rest)
	if errors.Is(err, errOutOfMemory) {
		return err // the process is being killed
	}
	return out.status(err)
}

// done closes what the command opened and gives back the memory it held.
func (c *cmdCtx) done() {
	for _, f := range c.closers {
		_ = f.Close()
	}
	c.p.mem.release(c.held)
}

// command runs one of the commands written in Go.
func (c *cmdCtx) command(cmd string, rest []string) error {
	switch cmd {
	case "echo":
		return c.echo(rest)
	case "printf":
		return c.printf(rest)
	case "sleep":
		return c.sleep(rest)
	case "tail":
		return c.tail(rest)
	case "env":
		return c.envCmd(rest)
	case "cat":
		return status(c.cat(rest))
	case "touch":
		return status(c.touch(rest))
	case "rm":
		return status(c.rm(rest))
	case "mkdir":
		return status(c.mkdir(rest))
	case "ls":
		return status(c.ls(rest))
	case "hostname":
		return status(c.hostnameCmd(rest))
	case "date":
		return status(c.date(rest))
	case "wget":
		return status(c.wget(rest))
	case "curl":
		return status(c.curl(rest))
	case "nslookup":
		return status(c.nslookup(rest))
	case "getent":
		return status(c.getent(rest))
	case "ping":
		return status(c.ping(rest))
	case "head":
		return status(c.head(rest))
	case "wc":
		return status(c.wc(rest))
	case "grep":
		return status(c.grep(rest))
	case "which":
		return status(c.which(rest, false))
	}
	return interp.ExitStatus(127) // unreachable: isCommand and the switch agree
}

// echo is sh's echo: -n drops the newline, -e reads backslash escapes.
func (c *cmdCtx) echo(args []string) error {
	newline, escapes := true, false
flags:
	for len(args) > 0 {
		switch args[0] {
		case "-n":
			newline = false
		case "-e":
			escapes = true
		case "-E":
			escapes = false
		default:
			break flags
		}
		args = args[1:]
	}
	var b strings.Builder
	for i, a := range args {
		if i > 0 {
			b.WriteByte(' ')
		}
		if escapes {
			a, _, _ = expand.Format(nil, a, nil)
		}
		b.WriteString(a)
	}
	if newline {
		b.WriteByte('\n')
	}
	_, err := io.WriteString(c.stdout, b.String())
	return writeStatus(err)
}

// printf formats its arguments, reusing the format until they are used up.
func (c *cmdCtx) printf(args []string) error {
	if len(args) == 0 {
		c.errf("printf: usage: printf format [arguments]\n")
		return interp.ExitStatus(2)
	}
	format, args := args[0], args[1:]
	if need := formatNeeds(format, args); need > 0 {
		if err := c.p.mem.ask(need); err != nil {
			c.p.mem.release(need)
			return err
		}
		c.held += need
	}
	for {
		s, n, err := expand.Format(nil, format, args)
		if err != nil {
			c.errf("printf: %v\n", err)
			return interp.ExitStatus(1)
		}
		if _, err := io.WriteString(c.stdout, s); err != nil {
			return writeStatus(err)
		}
		args = args[n:]
		if n == 0 || len(args) == 0 {
			return nil
		}
	}
}

// writeStatus is a builtin's status after writing: 1 when the write
// failed (the redirection or pipe says why).
func writeStatus(err error) error {
	if err != nil {
		return interp.ExitStatus(1)
	}
	return nil
}

// execFile runs a file of the container's file system: a shell script, since
// that is the only kind of program a MemFS can hold.
func (c *cmdCtx) execFile(name, abs string, args []string) error {
	fi, err := c.p.cfg.FS.Stat(abs)
	if err != nil {
		c.errf("%s: %s: not found\n", c.sh, name)
		return interp.ExitStatus(127)
	}
	if fi.IsDir() || fi.Mode().Perm()&0o111 == 0 {
		c.errf("%s: %s: Permission denied\n", c.sh, name)
		return interp.ExitStatus(126)
	}
	data, err := c.p.cfg.FS.ReadFile(abs)
	if err != nil {
		c.errf("%s: %s: %s\n", c.sh, name, errText(err))
		return interp.ExitStatus(126)
	}
	sh := "sh"
	if line, ok := bytes.CutPrefix(data, []byte("#!")); ok {
		line, _, _ = bytes.Cut(line, []byte("\n"))
		fields := strings.Fields(string(line))
		interpName := ""
		if len(fields) > 0 {
			interpName = path.Base(fields[0])
			if interpName == "env" && len(fields) > 1 {
				interpName = fields[1]
			}
		}
		switch interpName {
		case "sh", "ash", "dash", "bash":
			sh = interpName
		default:
			interpName = ""
		}
		if !c.p.has(interpName) { // a #!/bin/bash script in busybox, too
			c.errf("%s: %s: not found\n", c.sh, name)
			return interp.ExitStatus(127)
		}
	}
	return c.p.runScript(c, sh, string(data), name, nil, args)
}

// shell is sh/bash: `-c script [name [args]]`, `script [args]`, or a script
// on stdin; option letters such as -e, -x, -u, -o pipefail are honoured.
func (c *cmdCtx) shell(name string, args []string) error {
	var opts []string
	haveC := false
	i := 0
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			i++
			break
		}
		if len(a) < 2 || (a[0] != '-' && a[0] != '+') {
			break
		}
		if a == "-o" || a == "+o" {
			if i+1 < len(args) {
				opts = append(opts, a, args[i+1])
				i++
			}
			continue
		}
		for _, f := range a[1:] {
			switch f {
			case 'c':
				haveC = true
			case 'l', 'i', 's':
				// login, interactive, stdin: nothing changes here
			default:
				opts = append(opts, string(a[0])+string(f))
			}
		}
	}
	if haveC {
		if i >= len(args) {
			c.errf("%s: -c requires an argument\n", name)
			return interp.ExitStatus(2)
		}
		zero, params := name, []string(nil)
		if i+1 < len(args) {
			zero, params = args[i+1], args[i+2:]
		}
		return c.p.runScript(c, name, args[i], zero, opts, params)
	}
	if i < len(args) {
		data, err := c.p.cfg.FS.ReadFile(resolve(c.dir, args[i]))
		if err != nil {
			c.errf("%s: can't open '%s': %s\n", name, args[i], errText(err))
			return interp.ExitStatus(127)
		}
		return c.p.runScript(c, name, string(data), args[i], opts, args[i+1:])
	}
	if c.p.cfg.RealTime {
		return c.p.runInteractive(c, name, opts)
	}
	src, err := c.readAll(c.stdin)
	if err != nil {
		return err
	}
	return c.p.runScript(c, name, string(src), name, opts, nil)
}

// which serves which, `command -v` (-v) and `type` (-V).
func (c *cmdCtx) which(args []string, verbose bool) int {
	mode := "which"
	if len(args) > 0 && (args[0] == "-v" || args[0] == "-V") {
		mode, args = args[0], args[1:]
	}
	rc := 0
	for _, a := range args {
		switch {
		case mode != "which" && interp.IsBuiltin(a):
			if verbose {
				fmt.Fprintf(c.stdout, "%s is a shell builtin\n", a)
			} else {
				fmt.Fprintln(c.stdout, a)
			}
		case !strings.Contains(a, "/") && c.p.has(a):
			if verbose {
				fmt.Fprintf(c.stdout, "%s is /bin/%s\n", a, a)
			} else {
				fmt.Fprintf(c.stdout, "/bin/%s\n", a)
			}
		case strings.Contains(a, "/") && c.p.cfg.FS.Exists(resolve(c.dir, a)):
			if verbose {
				fmt.Fprintf(c.stdout, "%s is %s\n", a, a)
			} else {
				fmt.Fprintln(c.stdout, a)
			}
		default:
			if verbose {
				c.errf("%s: not found\n", a)
			}
			rc = 1
		}
	}
	return rc
}

// splitFlags separates single-letter flags (combinable: -rf) from operands.
// Letters in withArg take a value, attached (-n5) or next (-n 5).
func splitFlags(args []string, withArg string) (flags map[byte]string, operands []string, bad byte) {
	flags = map[byte]string{}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return flags, append(operands, args[i+1:]...), 0
		}
		if len(a) < 2 || a[0] != '-' {
			operands = append(operands, a)
			continue
		}
		if a[1] >= '0' && a[1] <= '9' { // -5 means -n 5 for head and tail
			flags['n'] = a[1:]
			continue
		}
		for j := 1; j < len(a); j++ {
			f := a[j]
			if strings.IndexByte(withArg, f) >= 0 {
				switch {
				case j+1 < len(a):
					flags[f] = a[j+1:]
				case i+1 < len(args):
					i++
					flags[f] = args[i]
				default:
					return flags, operands, f
				}
				break
			}
			flags[f] = ""
		}
	}
	return flags, operands, 0
}

// open opens a file operand for reading; "-" is stdin. The file is read
// as it is, not copied: cat of a big file holds no more than a buffer.
func (c *cmdCtx) open(name string) (io.Reader, error) {
	abs := resolve(c.dir, name)
	switch {
	case name == "-" || abs == "/dev/stdin":
		return c.stdin, nil
	case abs == "/dev/null" || abs == "/dev/zero":
		return devNull{}, nil
	}
	fi, err := c.p.cfg.FS.Stat(abs)
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return nil, &fs.PathError{Op: "read", Path: abs, Err: errIsDir}
	}
	f, err := c.p.cfg.FS.open(abs, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	c.closers = append(c.closers, f)
	return &openFile{Reader: f, size: fi.Size()}, nil
}

// openFile is a file a command reads. Copied whole (cat), it goes through
// a buffer no bigger than the file: an exec probe's `cat /tmp/healthy`
// runs often, and its file is small.
type openFile struct {
	io.Reader
	size int64
}

func (f *openFile) WriteTo(w io.Writer) (int64, error) {
	return io.CopyBuffer(w, onlyReader{f.Reader}, make([]byte, min(32<<10, f.size+1)))
}

// onlyReader hides a reader's WriteTo, so that io.CopyBuffer uses the
// buffer it is given.
type onlyReader struct{ io.Reader }

func (c *cmdCtx) cat(args []string) int {
	_, files, _ := splitFlags(args, "")
	if len(files) == 0 {
		files = []string{"-"}
	}
	rc := 0
	for _, f := range files {
		r, err := c.open(f)
		switch {
		case err != nil && errorsIsDir(err):
			c.errf("cat: read error: Is a directory\n")
			rc = 1
		case err != nil:
			c.errf("cat: can't open '%s': %s\n", f, errText(err))
			rc = 1
		default:
			_, _ = io.Copy(c.stdout, r)
		}
	}
	return rc
}

func errorsIsDir(err error) bool { return errText(err) == "Is a directory" }

func (c *cmdCtx) touch(args []string) int {
	flags, files, _ := splitFlags(args, "dtr")
	if len(files) == 0 {
		c.errf("touch: missing operand\n")
		return 1
	}
	_, noCreate := flags['c']
	rc := 0
	for _, f := range files {
		abs := resolve(c.dir, f)
		if c.p.cfg.FS.Exists(abs) || noCreate || isDevice(abs) {
			continue // no times to update
		}
		h, err := c.p.cfg.FS.open(abs, os.O_WRONLY|os.O_CREATE, 0o644)
		if err != nil {
			c.errf("touch: %s: %s\n", f, fileErr(err))
			rc = 1
			continue
		}
		_ = h.Close()
	}
	return rc
}

// fileErr words errors outside the shell, where a missing parent is simply
// missing.
func fileErr(err error) string {
	if t := errText(err); t != "nonexistent directory" {
		return t
	}
	return "No such file or directory"
}

func (c *cmdCtx) rm(args []string) int {
	flags, files, _ := splitFlags(args, "")
	_, force := flags['f']
	_, r := flags['r']
	_, R := flags['R']
	recursive := r || R
	if len(files) == 0 && !force {
		c.errf("rm: missing operand\n")
		return 1
	}
	rc := 0
	for _, f := range files {
		abs := resolve(c.dir, f)
		fi, err := c.p.cfg.FS.Stat(abs)
		switch {
		case err != nil:
			if !force {
				c.errf("rm: can't remove '%s': No such file or directory\n", f)
				rc = 1
			}
		case fi.IsDir() && !recursive:
			c.errf("rm: '%s' is a directory\n", f)
			rc = 1
		case fi.IsDir():
			if err := c.p.cfg.FS.RemoveAll(abs); err != nil {
				c.errf("rm: can't remove '%s': %s\n", f, errText(err))
				rc = 1
			}
		default:
			if err := c.p.cfg.FS.Remove(abs); err != nil {
				c.errf("rm: can't remove '%s': %s\n", f, errText(err))
				rc = 1
			}
		}
	}
	return rc
}

func (c *cmdCtx) mkdir(args []string) int {
	flags, dirs, _ := splitFlags(args, "m")
	_, parents := flags['p']
	if len(dirs) == 0 {
		c.errf("mkdir: missing operand\n")
		return 1
	}
	fsys := c.p.cfg.FS
	rc := 0
	for _, d := range dirs {
		abs := resolve(c.dir, d)
		var err error
		switch {
		case parents:
			err = fsys.MkdirAll(abs)
		case fsys.Exists(abs):
			err = fs.ErrExist
		default:
			if fi, serr := fsys.Stat(path.Dir(abs)); serr != nil || !fi.IsDir() {
				err = fs.ErrNotExist
			} else {
				err = fsys.MkdirAll(abs)
			}
		}
		if err != nil {
			c.errf("mkdir: can't create directory '%s': %s\n", d, errText(err))
			rc = 1
		}
	}
	return rc
}

func (c *cmdCtx) ls(args []string) int {
	flags, names, _ := splitFlags(args, "")
	_, long := flags['l']
	_, all := flags['a']
	_, almost := flags['A']
	_, self := flags['d']
	if len(names) == 0 {
		names = []string{"."}
	}
	fsys := c.p.cfg.FS
	width := c.terminalWidth()
	var listed []string // names for columns: one a line without a terminal
	flush := func() {
		writeColumns(c.stdout, listed, width)
		listed = listed[:0]
	}
	line := func(name string, fi fs.FileInfo) {
		if !long {
			listed = append(listed, name)
			return
		}
		links := 1
		if fi.IsDir() {
			links = 2
		}
		// MemFS keeps no times: its files show the zero time, "Jan  1 00:00".
		fmt.Fprintf(c.stdout, "%s %4d %-8s %-8s %9d %s %s\n", lsMode(fi.Mode()), links, "root", "root", fi.Size(),
			fi.ModTime().Format("Jan _2 15:04"), name)
	}
	rc := 0
	var dirs []string
	for _, n := range names {
		fi, err := fsys.Stat(resolve(c.dir, n))
		if err != nil {
			c.errf("ls: %s: No such file or directory\n", n)
			rc = 1
			continue
		}
		if fi.IsDir() && !self {
			dirs = append(dirs, n)
			continue
		}
		line(n, fi)
	}
	flush()
	for i, d := range dirs {
		if len(names) > 1 {
			if i > 0 || len(dirs) < len(names) {
				fmt.Fprintln(c.stdout)
			}
			fmt.Fprintf(c.stdout, "%s:\n", d)
		}
		abs := resolve(c.dir, d)
		if all {
			for _, dot := range []string{".", ".."} {
				fi, _ := fsys.Stat(path.Join(abs, dot))
				line(dot, fi)
			}
		}
		entries, _ := fsys.ReadDir(abs)
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".") && !all && !almost {
				continue
			}
			fi, _ := e.Info()
			line(e.Name(), fi)
		}
		flush()
	}
	return rc
}

// terminalWidth is the width of the terminal the command writes to, or 0
// when its output goes elsewhere (a file, a pipe, a simulated container).
func (c *cmdCtx) terminalWidth() int {
	out := c.stdout
	if po, wrapped := out.(*pipeOut); wrapped {
		out = po.w // the command's own watch on its writes, not a redirection
	}
	f, ok := c.p.cfg.Stdout.(*os.File)
	if !ok || out != io.Writer(c.p.stdout) || !term.IsTerminal(int(f.Fd())) {
		return 0
	}
	w, _, err := term.GetSize(int(f.Fd()))
	if err != nil || w <= 0 {
		return 80
	}
	return w
}

// writeColumns lays names out as busybox's ls does on a terminal: down
// the columns first, each as wide as the longest name and two spaces. A
// width of 0 (no terminal) gives one name a line.
func writeColumns(w io.Writer, names []string, width int) {
	if len(names) == 0 {
		return
	}
	longest := 0
	for _, n := range names {
		longest = max(longest, len(n))
	}
	colWidth := longest + 2
	cols := max(1, width/colWidth)
	rows := (len(names) + cols - 1) / cols
	var b strings.Builder
	for r := range rows {
		for col := 0; col < cols; col++ {
			i := col*rows + r
			if i >= len(names) {
				break
			}
			b.WriteString(names[i])
			if next := (col+1)*rows + r; next < len(names) {
				b.WriteString(strings.Repeat(" ", colWidth-len(names[i])))
			}
		}
		b.WriteString("\n")
	}
	_, _ = io.WriteString(w, b.String())
}

// lsMode is a mode as ls shows it ("drwxrwxrwt"); Go's FileMode.String puts
// the special bits in front instead ("dtrwxrwxrwx").
func lsMode(m fs.FileMode) string {
	b := []byte("-rwxrwxrwx")
	// Character devices also have ModeDevice: they come first.
	for _, t := range []struct {
		bit  fs.FileMode
		char byte
	}{{fs.ModeDir, 'd'}, {fs.ModeSymlink, 'l'}, {fs.ModeCharDevice, 'c'}, {fs.ModeDevice, 'b'}, {fs.ModeNamedPipe, 'p'}, {fs.ModeSocket, 's'}} {
		if m&t.bit != 0 {
			b[0] = t.char
			break
		}
	}
	for i := 0; i < 9; i++ {
		if m&(1<<uint(8-i)) == 0 {
			b[i+1] = '-'
		}
	}
	special := func(bit fs.FileMode, at int, set byte) {
		if m&bit == 0 {
			return
		}
		if b[at] == 'x' {
			b[at] = set
		} else {
			b[at] = set - 'a' + 'A' // the bit without execute: S, T
		}
	}
	special(fs.ModeSetuid, 3, 's')
	special(fs.ModeSetgid, 6, 's')
	special(fs.ModeSticky, 9, 't')
	return string(b)
}

// parseDuration reads busybox sleep's arguments: 1, 1.5, 2m, 1h, 1d, infinity.
func parseDuration(s string) (time.Duration, bool) {
	if s == "infinity" || s == "inf" {
		return Forever, true
	}
	unit := time.Second
	switch {
	case strings.HasSuffix(s, "s"):
		s = s[:len(s)-1]
	case strings.HasSuffix(s, "m"):
		s, unit = s[:len(s)-1], time.Minute
	case strings.HasSuffix(s, "h"):
		s, unit = s[:len(s)-1], time.Hour
	case strings.HasSuffix(s, "d"):
		s, unit = s[:len(s)-1], 24*time.Hour
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f != f || strings.ContainsAny(s, "xXpPeEnN_") {
		return 0, false
	}
	if f*float64(unit) >= float64(Forever) {
		return Forever, true
	}
	return time.Duration(f * float64(unit)), true
}

func (c *cmdCtx) sleep(args []string) error {
	if len(args) == 0 {
		c.errf("sleep: missing operand\n")
		return interp.ExitStatus(1)
	}
	var total time.Duration
	for _, a := range args {
		d, ok := parseDuration(a)
		if !ok {
			c.errf("sleep: invalid number '%s'\n", a)
			return interp.ExitStatus(1)
		}
		if total > Forever-d {
			total = Forever
		} else {
			total += d
		}
	}
	return c.p.sleep(c, total)
}

func (c *cmdCtx) hostname() string {
	if h := c.p.cfg.Hostname; h != "" {
		return h
	}
	if h := c.env.Get("HOSTNAME").String(); h != "" {
		return h
	}
	return "localhost"
}

// envCmd is env: print the environment, or run a command with changes to it.
func (c *cmdCtx) envCmd(args []string) error {
	set := map[string]string{}
	var unset []string
	clearAll := false
	i := 0
	for ; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-i" || a == "-":
			clearAll = true
		case a == "-u" && i+1 < len(args):
			i++
			unset = append(unset, args[i])
		case strings.Contains(a, "=") && !strings.HasPrefix(a, "="):
			k, v, _ := strings.Cut(a, "=")
			set[k] = v
		default:
			goto done
		}
	}
done:
	env := &overlayEnv{parent: c.env, set: set, unset: unset, clear: clearAll}
	if i < len(args) {
		c2 := *c
		c2.env = env
		return c2.run(args[i:])
	}
	vars := map[string]string{}
	env.Each(func(name string, vr expand.Variable) bool {
		if vr.Exported && vr.IsSet() && vr.Kind == expand.String {
			vars[name] = vr.Str
		} else {
			delete(vars, name)
		}
		return true
	})
	names := make([]string, 0, len(vars))
	for k := range vars {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		fmt.Fprintf(c.stdout, "%s=%s\n", k, vars[k])
	}
	return nil
}

// overlayEnv is the environment `env NAME=value cmd` gives cmd.
type overlayEnv struct {
	parent expand.Environ
	set    map[string]string
	unset  []string
	clear  bool
}

func (e *overlayEnv) Get(name string) expand.Variable {
	if v, ok := e.set[name]; ok {
		return expand.Variable{Set: true, Exported: true, Kind: expand.String, Str: v}
	}
	if e.clear {
		return expand.Variable{}
	}
	for _, u := range e.unset {
		if u == name {
			return expand.Variable{}
		}
	}
	return e.parent.Get(name)
}

func (e *overlayEnv) Each(f func(name string, vr expand.Variable) bool) {
	if !e.clear {
		stopped := false
		e.parent.Each(func(name string, vr expand.Variable) bool {
			for _, u := range e.unset {
				if u == name {
					return true
				}
			}
			if !f(name, vr) {
				stopped = true
				return false
			}
			return true
		})
		if stopped {
			return
		}
	}
	names := make([]string, 0, len(e.set))
	for k := range e.set {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if !f(k, expand.Variable{Set: true, Exported: true, Kind: expand.String, Str: e.set[k]}) {
			return
		}
	}
}

func (c *cmdCtx) now() time.Time {
	if c.p.cfg.Now != nil {
		return c.p.cfg.Now().UTC()
	}
	return time.Unix(0, 0).UTC()
}

// date prints the engine's time, in UTC as containers default to.
func (c *cmdCtx) date(args []string) int {
	format := "%a %b %e %H:%M:%S %Z %Y"
	for _, a := range args {
		switch {
		case strings.HasPrefix(a, "+"):
			format = a[1:]
		case a == "-u" || a == "--utc":
		case a == "-R":
			format = "%a, %d %b %Y %H:%M:%S %z"
		case a == "-I":
			format = "%F"
		default:
			c.errf("date: invalid date '%s'\n", a)
			return 1
		}
	}
	fmt.Fprintln(c.stdout, strftime(c.now(), format))
	return 0
}

func strftime(t time.Time, f string) string {
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		if f[i] != '%' || i+1 == len(f) {
			b.WriteByte(f[i])
			continue
		}
		i++
		switch f[i] {
		case 'Y':
			fmt.Fprintf(&b, "%d", t.Year())
		case 'm':
			fmt.Fprintf(&b, "%02d", int(t.Month()))
		case 'd':
			fmt.Fprintf(&b, "%02d", t.Day())
		case 'e':
			fmt.Fprintf(&b, "%2d", t.Day())
		case 'H':
			fmt.Fprintf(&b, "%02d", t.Hour())
		case 'M':
			fmt.Fprintf(&b, "%02d", t.Minute())
		case 'S':
			fmt.Fprintf(&b, "%02d", t.Second())
		case 's':
			fmt.Fprintf(&b, "%d", t.Unix())
		case 'N':
			fmt.Fprintf(&b, "%09d", t.Nanosecond())
		case 'a':
			b.WriteString(t.Format("Mon"))
		case 'A':
			b.WriteString(t.Format("Monday"))
		case 'b', 'h':
			b.WriteString(t.Format("Jan"))
		case 'B':
			b.WriteString(t.Format("January"))
		case 'Z':
			b.WriteString(t.Format("MST"))
		case 'z':
			b.WriteString(t.Format("-0700"))
		case 'F':
			b.WriteString(t.Format("2006-01-02"))
		case 'T':
			b.WriteString(t.Format("15:04:05"))
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case '%':
			b.WriteByte('%')
		default:
			b.WriteByte('%')
			b.WriteByte(f[i])
		}
	}
	return b.String()
}

// lineCount parses -n for head and tail; "+N" (from line N) only for tail.
func lineCount(flags map[byte]string, cmd string, c *cmdCtx) (n int, fromStart bool, ok bool) {
	v, has := flags['n']
	if !has {
		return 10, false, true
	}
	fromStart = strings.HasPrefix(v, "+")
	n, err := strconv.Atoi(strings.TrimPrefix(strings.TrimPrefix(v, "+"), "-"))
	if err != nil || n < 0 {
		c.errf("%s: invalid number '%s'\n", cmd, v)
		return 0, false, false
	}
	return n, fromStart, true
}

func (c *cmdCtx) head(args []string) int {
	flags, files, bad := splitFlags(args, "n")
	n, _, ok := lineCount(flags, "head", c)
	if !ok || bad != 0 {
		return 1
	}
	return c.eachFile("head", files, func(r io.Reader) {
		// Stop reading after n lines: the writer of a pipe may never end.
		br := bufio.NewReader(r)
		for range n {
			line, err := c.readLine(br)
			io.WriteString(c.stdout, line)
			if err != nil {
				break
			}
		}
	})
}

// eachFile opens each file (stdin for none or "-") for head and tail,
// printing the "==> name <==" headers between several and busybox's
// message for one that cannot be opened; it returns the exit code.
func (c *cmdCtx) eachFile(cmd string, files []string, fn func(io.Reader)) int {
	if len(files) == 0 {
		files = []string{"-"}
	}
	rc := 0
	for i, f := range files {
		r, err := c.open(f)
		if err != nil {
			c.errf("%s: can't open '%s': %s\n", cmd, f, errText(err))
			rc = 1
			continue
		}
		if len(files) > 1 {
			if i > 0 {
				fmt.Fprintln(c.stdout)
			}
			fmt.Fprintf(c.stdout, "==> %s <==\n", f)
		}
		fn(r)
	}
	return rc
}

func (c *cmdCtx) tail(args []string) error {
	flags, files, bad := splitFlags(args, "n")
	n, fromStart, ok := lineCount(flags, "tail", c)
	if !ok || bad != 0 {
		return interp.ExitStatus(1)
	}
	_, follow := flags['f']
	_, followF := flags['F']
	rc := c.eachFile("tail", files, func(r io.Reader) {
		data, err := c.readAll(r)
		if err != nil {
			return
		}
		lines := strings.SplitAfter(string(data), "\n")
		if lines[len(lines)-1] == "" {
			lines = lines[:len(lines)-1]
		}
		switch {
		case fromStart && n > 0:
			lines = lines[min(n-1, len(lines)):]
		case !fromStart && n < len(lines):
			lines = lines[len(lines)-n:]
		}
		io.WriteString(c.stdout, strings.Join(lines, ""))
	})
	if follow || followF {
		// `tail -f` keeps a container alive; what is appended later is not
		// shown.
		if err := c.p.sleep(c, Forever); err != nil {
			return err
		}
	}
	return status(rc)
}

func (c *cmdCtx) wc(args []string) int {
	flags, files, _ := splitFlags(args, "")
	_, l := flags['l']
	_, w := flags['w']
	_, b := flags['c']
	if !l && !w && !b {
		l, w, b = true, true, true
	}
	named := len(files) > 0
	if !named {
		files = []string{"-"}
	}
	rc := 0
	for _, f := range files {
		r, err := c.open(f)
		if err != nil {
			c.errf("wc: can't open '%s': %s\n", f, errText(err))
			rc = 1
			continue
		}
		data, err := c.readAll(r)
		if errors.Is(err, errOutOfMemory) {
			return 1
		}
		var cols []string
		if l {
			cols = append(cols, strconv.Itoa(bytes.Count(data, []byte("\n"))))
		}
		if w {
			cols = append(cols, strconv.Itoa(len(bytes.Fields(data))))
		}
		if b {
			cols = append(cols, strconv.Itoa(len(data)))
		}
		if len(cols) > 1 {
			for i := range cols {
				cols[i] = fmt.Sprintf("%7s", cols[i])
			}
		}
		if named {
			cols = append(cols, f)
		}
		fmt.Fprintln(c.stdout, strings.Join(cols, " "))
	}
	return rc
}

// grep matches fixed strings, or regular expressions when the pattern has
// regexp syntax (basic syntax translated, -E extended).
func (c *cmdCtx) grep(args []string) int {
	flags, ops, bad := splitFlags(args, "em")
	if bad != 0 {
		c.errf("grep: option requires an argument -- '%c'\n", bad)
		return 2
	}
	pattern, hasE := flags['e']
	if !hasE {
		if len(ops) == 0 {
			c.errf("grep: no pattern\n")
			return 2
		}
		pattern, ops = ops[0], ops[1:]
	}
	_, quiet := flags['q']
	_, invert := flags['v']
	_, icase := flags['i']
	_, count := flags['c']
	_, number := flags['n']
	_, fixed := flags['F']
	_, ere := flags['E']
	_, silent := flags['s']
	_, listNames := flags['l']
	var match func(string) bool
	if fixed || !strings.ContainsAny(pattern, `.*^$[\+?(){}|`) {
		p := pattern
		if icase {
			p = strings.ToLower(p)
		}
		match = func(s string) bool {
			if icase {
				s = strings.ToLower(s)
			}
			return strings.Contains(s, p)
		}
	} else {
		expr := pattern
		if !ere {
			expr = breToERE(pattern)
		}
		if icase {
			expr = "(?i)" + expr
		}
		re, err := regexp.Compile(expr)
		if err != nil {
			c.errf("grep: bad regex '%s': %v\n", pattern, err)
			return 2
		}
		match = re.MatchString
	}
	if len(ops) == 0 {
		ops = []string{"-"}
	}
	found, failed := false, false
	for _, f := range ops {
		r, err := c.open(f)
		if err != nil {
			if !silent {
				c.errf("grep: %s: %s\n", f, errText(err))
			}
			failed = true
			continue
		}
		prefix := ""
		if len(ops) > 1 {
			prefix = f + ":"
		}
		n := 0
		br := bufio.NewReader(r)
		for lineNo := 1; ; lineNo++ {
			line, err := c.readLine(br)
			if errors.Is(err, errOutOfMemory) {
				return 2
			}
			if line != "" || err == nil {
				text := strings.TrimSuffix(line, "\n")
				if match(text) != invert {
					found = true
					n++
					if quiet {
						return 0 // stop at once, as the writer may never end
					}
					if listNames {
						break
					}
					if !count {
						var werr error
						if number {
							_, werr = fmt.Fprintf(c.stdout, "%s%d:%s\n", prefix, lineNo, text)
						} else {
							_, werr = fmt.Fprintf(c.stdout, "%s%s\n", prefix, text)
						}
						if werr != nil {
							return 2 // SIGPIPE: the reader is gone
						}
					}
				}
			}
			if err != nil {
				break
			}
		}
		if listNames && n > 0 {
			fmt.Fprintln(c.stdout, f)
		}
		if count {
			fmt.Fprintf(c.stdout, "%s%d\n", prefix, n)
		}
	}
	switch {
	case failed && !(quiet && found):
		return 2
	case found:
		return 0
	}
	return 1
}

// breToERE turns a POSIX basic regular expression into Go syntax: in BRE,
// \( \) \{ \} \| \+ \? are operators and the bare characters are literal.
func breToERE(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		ch := p[i]
		switch {
		case ch == '\\' && i+1 < len(p):
			i++
			switch n := p[i]; n {
			case '(', ')', '{', '}', '|', '+', '?':
				b.WriteByte(n)
			default:
				b.WriteByte('\\')
				b.WriteByte(n)
			}
		case strings.IndexByte("(){}|+?", ch) >= 0:
			b.WriteByte('\\')
			b.WriteByte(ch)
		default:
			b.WriteByte(ch)
		}
	}
	return b.String()
}
