package ui

import (
	"context"
	"io"
	"log"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/kubeplay/kubeplay/engine/backend"
	"github.com/kubeplay/kubeplay/engine/launch"
	"github.com/kubeplay/kubeplay/ui/theme"
)

// lockedBuffer is the terminal's stderr, written from several goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestNoticesWhileRunningGoToTheScreen: a notice of launch's (an image
// built for a new pod) and a line of the log package, while the program
// has the screen, show in the output pane and never reach stderr; a
// notice before the program starts still goes to stderr.
func TestNoticesWhileRunningGoToTheScreen(t *testing.T) {
	var stderr lockedBuffer
	var notice func(string)
	var st stages
	started := st.add(onStart)
	shown := st.add(func(a *App) bool {
		scr := ansi.Strip(a.View().Content)
		return strings.Contains(scr, "kubeplay: building kubeplay/demo:v2") && strings.Contains(scr, "http: TLS handshake error")
	})
	r, w := io.Pipe()
	defer w.Close()
	errc := make(chan error, 1)
	go func() {
		o := testOptions(Options{Lang: "en", Nodes: 1, Theme: theme.NoColor, Playground: true, Notices: &stderr}, launch.Sim, "")
		first := o.Clusters
		o.Clusters = hookedStart{first, func(ctx context.Context, say func(string)) (backend.Cluster, func(), string, error) {
			notice = say
			notice("before the screen")
			return first.Start(ctx, say)
		}}
		errc <- run(context.Background(), o, r, discard{}, hooks{
			wrap: func(a *App) tea.Model {
				return probe{a, st.check}
			},
			options: []tea.ProgramOption{tea.WithWindowSize(120, 36)},
		})
	}()
	await(t, started, 10*time.Second, "first frame")
	notice("building kubeplay/demo:v2 from the kubeplay binary…")
	log.Print("http: TLS handshake error from 127.0.0.1:5555: EOF")
	await(t, shown, 10*time.Second, "the notices in the output pane")
	if _, err := io.WriteString(w, "\x03"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-errc:
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return")
	}
	got := stderr.String()
	if !strings.Contains(got, "kubeplay: before the screen") {
		t.Errorf("the notice before the program started did not reach stderr: %q", got)
	}
	if strings.Contains(got, "demo:v2") || strings.Contains(got, "TLS handshake") {
		t.Errorf("a notice was written to stderr behind the screen: %q", got)
	}
}
