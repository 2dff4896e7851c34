package kubectl

import (
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/duration"
)

var resEvents, _ = resource("events")

type eventsOptions struct {
	forObject     string
	allNamespaces bool
	types         []string
	noHeaders     bool
}

func (s *Session) eventsCmd() *cobra.Command {
	var o eventsOptions
	cmd := &cobra.Command{
		Use:   "events [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file] [--for TYPE/NAME] [--watch] [--types=Normal,Warning]",
		Short: "List events",
		RunE:  func(_ *cobra.Command, _ []string) error { return s.runEvents(o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.forObject, "for", "", "Filter events to only those pertaining to the specified resource.")
	f.BoolVarP(&o.allNamespaces, "all-namespaces", "A", false, "If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.")
	f.StringSliceVar(&o.types, "types", nil, "Output only events of given types.")
	f.BoolVar(&o.noHeaders, "no-headers", false, "When using the default output format, don't print headers.")
	return cmd
}

func (s *Session) runEvents(o eventsOptions) error {
	for _, t := range o.types {
		if !strings.EqualFold(t, corev1.EventTypeNormal) && !strings.EqualFold(t, corev1.EventTypeWarning) {
			return fmt.Errorf("valid --types are Normal or Warning")
		}
	}
	var kind, name string
	if o.forObject != "" {
		typ, n, ok := strings.Cut(o.forObject, "/")
		if !ok {
			return fmt.Errorf("--for must be in resource/name form")
		}
		res, err := resource(typ)
		if err != nil {
			return err
		}
		kind, name = res.Kind, n
	}
	ns := s.Namespace
	if o.allNamespaces {
		ns = ""
	}
	objs, err := s.list(resEvents, ns)
	if err != nil {
		return err
	}
	var events []*corev1.Event
	for _, obj := range objs {
		ev := obj.(*corev1.Event)
		if kind != "" && (ev.InvolvedObject.Kind != kind || ev.InvolvedObject.Name != name) {
			continue
		}
		if len(o.types) > 0 && !containsFold(o.types, ev.Type) {
			continue
		}
		events = append(events, ev)
	}
	if len(events) == 0 {
		if o.allNamespaces {
			fmt.Fprintln(s.Err, "No events found.")
		} else {
			fmt.Fprintf(s.Err, "No events found in %s namespace.\n", ns)
		}
		return nil
	}
	// kubectl's SortableEvents: by last time seen; stable keeps the order
	// they were recorded in among equal times.
	sort.SliceStable(events, func(i, j int) bool {
		return events[i].LastTimestamp.Before(&events[j].LastTimestamp)
	})
	w := newTabWriter(s.Out)
	if !o.noHeaders {
		if o.allNamespaces {
			fmt.Fprint(w, "NAMESPACE\t")
		}
		fmt.Fprintln(w, "LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE")
	}
	for _, ev := range events {
		if o.allNamespaces {
			fmt.Fprintf(w, "%s\t", ev.Namespace)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s/%s\t%s\n", s.eventInterval(ev), ev.Type, ev.Reason,
			ev.InvolvedObject.Kind, ev.InvolvedObject.Name, strings.TrimSpace(ev.Message))
	}
	return w.Flush()
}

// eventInterval is the LAST SEEN column of kubectl events.
func (s *Session) eventInterval(ev *corev1.Event) string {
	since := func(t metav1.Time) string {
		if t.IsZero() {
			return "<unknown>"
		}
		return duration.HumanDuration(s.C.Now().Sub(t.Time))
	}
	first := since(ev.FirstTimestamp)
	if ev.Count > 1 {
		return fmt.Sprintf("%s (x%d over %s)", since(ev.LastTimestamp), ev.Count, first)
	}
	return first
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
