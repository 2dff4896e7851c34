package record

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// hereMarker ends a command's standard input in a script.
const hereMarker = "KUBEPLAY_EOF"

// Script is the recording's commands as `kubeplay shell` reads them: each
// command line (its standard input as a here-document), after a `sleep`
// that brings the cluster to the time the command started at in the
// session, as far as elapsed (the shell's cluster's time, asked as each
// line is read) is behind it.
func Script(rec *Recording, elapsed func() time.Duration) io.Reader {
	var cmds []Event
	for _, e := range rec.Events {
		if e.Kind == KindCmd {
			cmds = append(cmds, e)
		}
	}
	return &script{cmds: cmds, elapsed: elapsed}
}

type script struct {
	cmds    []Event
	elapsed func() time.Duration
	pending []byte
	slept   bool // the sleep before cmds[0] was given
}

func (s *script) Read(p []byte) (int, error) {
	for len(s.pending) == 0 {
		if len(s.cmds) == 0 {
			return 0, io.EOF
		}
		e := s.cmds[0]
		if gap := e.Cluster() - s.elapsed(); !s.slept && gap >= time.Millisecond {
			s.slept = true
			s.pending = fmt.Appendf(nil, "sleep %s\n", gap.Round(time.Millisecond))
			break
		}
		s.cmds, s.slept = s.cmds[1:], false
		line := strings.ReplaceAll(e.Line, "\n", " ")
		if e.Stdin == "" {
			s.pending = []byte(line + "\n")
			break
		}
		body := e.Stdin
		if !strings.HasSuffix(body, "\n") {
			body += "\n"
		}
		s.pending = []byte(line + " <<" + hereMarker + "\n" + body + hereMarker + "\n")
	}
	n := copy(p, s.pending)
	s.pending = s.pending[n:]
	return n, nil
}
