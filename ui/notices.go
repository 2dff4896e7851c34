package ui

import (
	"fmt"
	"io"
	"log"
	"os"
	"strings"
	"sync"

	tea "charm.land/bubbletea/v2"
	"k8s.io/klog/v2"
)

// NoticeMsg is one of kubeplay's own messages that came while the program
// runs — an image built for a new pod, a log line of a library — shown in
// the output pane instead of written over the screen.
type NoticeMsg struct{ Text string }

// relay carries launch's notices: to the terminal's stderr before the
// program has the screen and after it gave it back, into the program
// while it runs. Nothing else may write to the terminal then: a line on
// stderr lands in the middle of the frame and breaks its border.
type relay struct {
	mu   sync.Mutex
	w    io.Writer
	ch   chan string // open while the program runs
	done chan struct{}
}

// say passes one notice on. It never waits for the program: a notice may
// come from the goroutine that runs the UI's Update.
func (r *relay) say(msg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ch == nil {
		fmt.Fprintln(r.w, "kubeplay: "+msg)
		return
	}
	select {
	case r.ch <- msg:
	default: // the program is far behind: better one notice lost than a stall
	}
}

// attach sends notices to p until detach, and catches what the log and
// klog packages would print on stderr meanwhile (net/http's server errors,
// client-go's runtime.HandleError).
func (r *relay) attach(p *tea.Program) {
	r.mu.Lock()
	r.ch, r.done = make(chan string, 256), make(chan struct{})
	ch, done := r.ch, r.done
	r.mu.Unlock()
	go func() {
		defer close(done)
		for msg := range ch {
			p.Send(NoticeMsg{Text: msg})
		}
	}()
	logs := lineWriter{r.say}
	log.SetOutput(logs)
	klog.LogToStderr(false)
	klog.SetOutput(logs)
}

// detach sends notices to the writer again, once the program has ended.
func (r *relay) detach() {
	r.mu.Lock()
	ch, done := r.ch, r.done
	r.ch = nil
	r.mu.Unlock()
	if ch == nil {
		return
	}
	log.SetOutput(os.Stderr)
	klog.SetOutput(os.Stderr)
	klog.LogToStderr(true)
	close(ch)
	<-done
}

// lineWriter turns what a logger writes into notices, one a line.
type lineWriter struct{ say func(string) }

func (w lineWriter) Write(p []byte) (int, error) {
	for _, line := range strings.Split(strings.TrimRight(string(p), "\n"), "\n") {
		if line != "" {
			w.say(line)
		}
	}
	return len(p), nil
}

// notice shows a notice on the page on screen, or keeps it for the
// playground or lesson still to open.
func (a *App) notice(text string) {
	line := a.c.Theme.Warning.Render("kubeplay: " + text)
	switch {
	case a.les.page != nil && a.les.on == onLesson:
		a.les.page.Playground().Notice(line)
	case a.play != nil:
		a.play.Notice(line)
	default:
		a.pending = append(a.pending, line)
	}
}

// flushNotices shows the notices kept while no playground was open.
func (a *App) flushNotices(show func(string)) {
	for _, n := range a.pending {
		show(n)
	}
	a.pending = nil
}
