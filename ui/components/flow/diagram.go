package flow

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/kubeplay/kubeplay/engine/bilingual"
	"github.com/kubeplay/kubeplay/engine/sim"
	"github.com/kubeplay/kubeplay/ui/present"
	"github.com/kubeplay/kubeplay/ui/theme"
)

// The diagram is the picture every Kubernetes text draws: the control
// plane above, kube-apiserver its hub (nothing talks to etcd but the
// apiserver; controllers, the scheduler and kubelets talk only to it),
// the worker nodes below with their pods, kubectl at the side. Every edge
// is a real channel, drawn always; a hop lights its edge and its packet
// travels along it from the sender to the receiver.
//
// Two sizes of the same picture: boxes three rows high (fullRows and
// more), or — on an 80×24 terminal — each component a one-row label,
// still in its place.

// fullRows is the fewest rows the picture with boxes needs: two rows of
// control-plane boxes, the rows of edges between, and a node box of four.
const fullRows = 12

// bigRows is the fewest rows a presenter's picture needs, its boxes five
// rows high.
const bigRows = 2*5 + 2 + 6

// BigPaneRows is the fewest rows of a flow pane whose picture has a
// presenter's big boxes: the picture, the pane's frame and its two lines
// of text.
const BigPaneRows = bigRows + 2 + 2

// compactRows is the fewest rows the picture needs at all.
const compactRows = 4

// The components of the control plane as the diagram names its places;
// every other one a hop names (the storage provisioner, kube-proxy, a
// client…) is drawn in the spare place, aux, while a hop involves it.
const (
	epKubectl = "kubectl"
	epAPI     = "apiserver"
	epEtcd    = "etcd"
	epCM      = "controller-manager"
	epSched   = "scheduler"
	epAux     = "aux"
	epMore    = "more" // the nodes folded into "+N"
)

// rect is a place on the canvas.
type rect struct{ x, y, w, h int }

func (r rect) cx() int { return r.x + r.w/2 }

// edge is a channel between two places, drawn from a to b; from and to
// are the sides of a's and b's boxes its ends run into.
type edge struct {
	a, b     string
	r        route
	from, to uint8
}

// nodePlace is a node's box and what is inside it.
type nodePlace struct {
	name      string
	r         rect
	kubelet   int // the kubelet's column, where the apiserver's edge drops in
	more      int // folded nodes, for the "+N" box
	morePods  int
	ready     bool
	pods      []present.Chip
	runtimeAt int // the runtime's label's column, in boxes
}

// scene is the diagram laid out for one size.
type scene struct {
	w, h, bh int // canvas size; box height (3, or 1 when compact)
	boxes    map[string]rect
	nodes    []nodePlace
	edges    []edge
	pending  rect // where pods wait for the scheduler
}

// endpoint is where component c is drawn.
func (s *scene) endpoint(c sim.Component) string {
	switch k := c.Kind(); k {
	case sim.KindKubectl, sim.KindAPIServer, sim.KindEtcd, sim.KindControllerManager, sim.KindScheduler:
		return string(k)
	case sim.KindKubelet, sim.KindRuntime:
		for _, n := range s.nodes {
			if n.more == 0 && n.name == c.Node() {
				return string(k) + "/" + n.name
			}
		}
		return epMore
	case sim.KindPod:
		return "pod/" + c.Node()
	}
	return epAux
}

// edgeOf is the edge from a to b and whether it runs as drawn (a to b)
// or backwards.
func (s *scene) edgeOf(a, b string) (edge, bool, bool) {
	for _, e := range s.edges {
		switch {
		case e.a == a && e.b == b:
			return e, true, true
		case e.a == b && e.b == a:
			return e, false, true
		}
	}
	return edge{}, false, false
}

// foldNodes keeps the nodes that fit in n places: every node while they
// fit, else the busiest (and the one the hop in flight involves) and one
// "+N" place for the rest.
func foldNodes(cols []present.NodeColumn, n int, involved string) []nodePlace {
	all := make([]nodePlace, len(cols))
	for i, c := range cols {
		all[i] = nodePlace{name: c.Name, ready: c.Ready, pods: c.Pods}
	}
	if len(all) <= n {
		return all
	}
	keep := max(n-1, 1)
	idx := make([]int, len(all))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		ia, ib := all[a].name == involved, all[b].name == involved
		if ia != ib {
			if ia {
				return -1
			}
			return 1
		}
		return cmp.Compare(len(all[b].pods), len(all[a].pods))
	})
	kept := slices.Clone(idx[:keep])
	slices.Sort(kept) // in the cluster's order
	out := make([]nodePlace, 0, keep+1)
	for _, i := range kept {
		out = append(out, all[i])
	}
	more := nodePlace{name: epMore, more: len(all) - keep, ready: true}
	for _, i := range idx[keep:] {
		more.morePods += len(all[i].pods)
	}
	return append(out, more)
}

// layout places everything for a canvas of w×h. kubectlW is the widest
// the kubectl box's label gets; aux the label of the spare place ("" when
// nothing is there); involved the node the hop in flight involves.
func layout(w, h int, kubectlW int, nodes []present.NodeColumn, aux, involved string, big bool) *scene {
	s := &scene{w: w, h: h, bh: 3, boxes: map[string]rect{}}
	pad := 4
	switch {
	case h < fullRows:
		s.bh, pad = 1, 2
	case big && h >= bigRows:
		s.bh, pad = 5, 6
	}
	bh := s.bh
	kw := kubectlW + pad
	apiW, etcdW := width("kube-apiserver")+pad, width("etcd")+pad
	cmW, schW := width("controller-manager")+pad, width("scheduler")+pad
	// The gap between places: as wide as the pane allows, so a packet's
	// trip is long enough to see, keeping room at the right of the
	// scheduler for pending pods and the spare place.
	const reserve = 40
	g := min(max((w-(kw+cmW+schW+reserve))/3, 2), 16)
	// Boxes: the second row (controller-manager, scheduler) under the
	// first, the apiserver's edges to it in the row between, the bus to
	// the nodes below it. Labels (compact): the second row beside the
	// apiserver's edges, which leave it downwards and turn to them.
	var api, etcd, cm, sch rect
	var yg, yb, tc int // the row of edges to the second row, the bus's row, the trunk's column
	if bh > 1 {
		kx := kw + g
		yg, yb = bh, 2*bh+1
		tc = max(kx+cmW+g, kw+2*g+apiW/2)
		api = rect{tc - apiW/2, 0, apiW, bh}
		cm = rect{kx, bh + 1, cmW, bh}
		sch = rect{tc + max(g, apiW/2), bh + 1, schW, bh}
	} else {
		yg, yb = 1, 2
		tc = max(cmW+2*g+apiW/2-1, kw+2*g+apiW/2)
		api = rect{tc - apiW/2, 0, apiW, 1}
		cm = rect{0, 1, cmW, 1}
		sch = rect{api.x + api.w + 2*g - 1, 1, schW, 1}
	}
	etcd = rect{min(api.x+api.w+2*g, w-etcdW), 0, etcdW, bh}
	// The places beside the scheduler: pods waiting for it, then the
	// spare place; with room to spare the control plane is centred.
	const pendW, auxW = 16, 22
	off := max((w-(sch.x+sch.w+2+pendW+1+auxW))/2, 0)
	for _, r := range []*rect{&api, &etcd, &cm, &sch} {
		r.x += off
	}
	tc += off
	s.boxes[epKubectl] = rect{off, 0, kw, bh}
	kw += off
	s.boxes[epAPI], s.boxes[epEtcd], s.boxes[epCM], s.boxes[epSched] = api, etcd, cm, sch
	pendX := sch.x + sch.w + 2
	pendEnd := w
	if aux != "" {
		aw := width(aux) + pad
		ar := rect{max(min(pendX+pendW+1, w-aw), pendX), sch.y, aw, bh}
		s.boxes[epAux] = ar
		pendEnd = ar.x - 1
	}
	s.pending = rect{pendX, sch.y + bh/2, max(pendEnd-pendX, 0), 1}
	mid := bh / 2 // the row of a box's label
	trunk := []pt{{tc, yg}, {tc, yb}}
	s.edges = append(s.edges,
		edge{epKubectl, epAPI, path(pt{kw, mid}, pt{api.x - 1, mid}), left, right},
		edge{epAPI, epEtcd, path(pt{api.x + api.w, mid}, pt{etcd.x - 1, mid}), left, right},
	)
	if bh > 1 {
		s.edges = append(s.edges,
			edge{epAPI, epCM, path(pt{api.x + 1, yg}, pt{cm.cx(), yg}), up, down},
			edge{epAPI, epSched, path(pt{api.x + api.w - 2, yg}, pt{sch.cx(), yg}), up, down})
	} else {
		s.edges = append(s.edges,
			edge{epAPI, epCM, path(pt{api.x + 1, yg}, pt{cm.x + cm.w, yg}), up, left},
			edge{epAPI, epSched, path(pt{api.x + api.w - 2, yg}, pt{sch.x - 1, yg}), up, right})
	}
	if ar, ok := s.boxes[epAux]; ok {
		s.edges = append(s.edges, edge{epAPI, epAux, path(append(trunk, pt{ar.cx(), yb})...), up, up})
	}
	// The nodes: side by side across the width, as many as fit.
	minW, gap := 22, 1 // a node's box: kubelet ── runtime inside
	if bh == 1 {
		minW, gap = 14, 2
	}
	n := max((w+gap)/(minW+gap), 1)
	s.nodes = foldNodes(nodes, n, involved)
	if len(s.nodes) == 0 {
		return s
	}
	nw := (w - gap*(len(s.nodes)-1)) / len(s.nodes)
	for i := range s.nodes {
		np := &s.nodes[i]
		np.r = rect{i * (nw + gap), yb + 1, nw, max(h-yb-1, 1)}
		if i == len(s.nodes)-1 {
			np.r.w = w - np.r.x // the columns the division left over
		}
		np.kubelet = np.r.cx()
		if bh == 1 {
			np.kubelet = np.r.x + 1
		}
		if bh > 1 && np.more == 0 {
			// Inside the node: kubelet ─▶ runtime under the drop, as
			// near the middle as the node's width lets it be.
			// kubelet ──── runtime, the edge shorter in a narrow node.
			line := min(max(np.r.w-4-16, 2), 4)
			group := 7 + 1 + line + 1 + 7
			kx := max(min(np.r.cx()-3, np.r.x+np.r.w-2-group), np.r.x+2)
			np.kubelet = kx + 3
			np.runtimeAt = kx + group - 7
			s.edges = append(s.edges, edge{"kubelet/" + np.name, "runtime/" + np.name,
				path(pt{kx + 8, np.r.y + 1}, pt{np.runtimeAt - 2, np.r.y + 1}), 0, 0})
		}
		to := pt{np.kubelet, yb}
		e := edge{epAPI, "kubelet/" + np.name, path(append(trunk, to)...), up, down}
		if np.more > 0 {
			e.b = epMore
		}
		s.edges = append(s.edges, e)
	}
	return s
}

// diagram draws the picture on a w×h canvas, line by line.
func (m *Model) diagram(w, h int) []string {
	p := m.picture(w, h)
	at, ok := p.packetAt(m.pos)
	if !ok {
		return p.lines
	}
	lines := slices.Clone(p.lines)
	lines[at.y] = p.row(at, m.codes())
	return lines
}

// picture is the diagram as drawn but for its packet. At 60 frames a
// second only the packet moves: a frame draws the one row the packet is
// on over what is kept here, rather than laying out and drawing the
// whole canvas again.
//
// Why this is safe: everything the canvas shows but the packet comes
// from the model's hop, board and nodes (each setter bumps gen), from
// the canvas' size, and from the shared Common's theme, language and
// presenter mode — all of which are the key. The packet goes on the lit
// edge's route, where nothing else is written but the edge, and the
// hop's label beside the edge is only written in free cells, which no
// route's cell is: drawing the packet last gives the cells it gave when
// it was drawn before the label.
type picture struct {
	key   picKey
	cv    *canvas
	lines []string // the canvas rendered, without the packet
	route route    // the lit edge from sender to receiver; nil for none
	dot   rune     // the packet: ● or ○ (inferred)
}

// picKey is what a picture is drawn from.
type picKey struct {
	w, h      int
	gen       uint64
	theme     *theme.Theme
	lang      bilingual.Lang
	presenter bool
}

// packetAt is the packet's cell at pos on the lit edge, if there is one.
// The arrowhead stays in sight when the packet has arrived: it says
// which way the hop went.
func (p *picture) packetAt(pos float64) (pt, bool) {
	r := p.route
	if len(r) == 0 {
		return pt{}, false
	}
	return r[min(int(pos*float64(len(r)-1)+0.5), max(len(r)-2, 0))], true
}

// row is the packet's row rendered with the packet at its cell.
func (p *picture) row(at pt, codes *inkCodes) string {
	cv := p.cv
	i := at.y*cv.w + at.x
	r, k, light, heavy := cv.r[i], cv.ink[i], cv.light[i], cv.heavy[i]
	cv.set(at.x, at.y, p.dot, inkPacket)
	s := cv.renderRow(at.y, codes)
	cv.r[i], cv.ink[i], cv.light[i], cv.heavy[i] = r, k, light, heavy
	return s
}

// picture is the diagram for a w×h canvas but its packet, drawn afresh
// when its key changed.
func (m *Model) picture(w, h int) *picture {
	k := picKey{w, h, m.gen, m.c.Theme, m.c.Lang, m.c.Presenter}
	if m.pic.cv == nil || m.pic.key != k {
		m.pic = m.drawPicture(w, h)
		m.pic.key = k
	}
	return &m.pic
}

// drawPicture draws the diagram on a w×h canvas, all but the packet.
func (m *Model) drawPicture(w, h int) picture {
	aux := ""
	involved := ""
	if m.hasHop {
		for _, c := range []sim.Component{m.hop.From, m.hop.To} {
			if (&scene{}).endpoint(c) == epAux {
				aux = present.DisplayName(c)
			}
			if n := c.Node(); n != "" && (c.Kind() == sim.KindKubelet || c.Kind() == sim.KindRuntime) {
				involved = n
			}
		}
	}
	kubectlW := max(width("kubectl"), width(m.c.T("flow.external")))
	s := layout(w, h, kubectlW, m.nodeColumns(), aux, involved, m.c.Presenter)
	cv := newCanvas(w, h)
	from, to := "", ""
	if m.hasHop {
		from, to = s.endpoint(m.hop.From), s.endpoint(m.hop.To)
	}
	lit, forward, hasEdge := s.edgeOf(from, to)
	for _, e := range s.edges {
		if hasEdge && e.a == lit.a && e.b == lit.b {
			continue
		}
		cv.line(e.r, e.from, e.to, false, inkDim)
	}
	role := func(ep string) int {
		switch {
		case !m.hasHop:
			return 0
		case ep == from:
			return 1
		case ep == to:
			return 2
		}
		return 0
	}
	names := map[string]string{epKubectl: m.boxName(sim.Component(sim.KindKubectl)), epAPI: "kube-apiserver",
		epEtcd: "etcd", epCM: "controller-manager", epSched: "scheduler", epAux: aux}
	for _, ep := range []string{epKubectl, epAPI, epEtcd, epCM, epSched, epAux} {
		if r, ok := s.boxes[ep]; ok {
			m.place(cv, s, r, names[ep], role(ep))
		}
	}
	m.pendingChips(cv, s)
	for _, np := range s.nodes {
		m.node(cv, s, np, role)
	}
	for _, e := range s.edges {
		if len(e.r) == 0 {
			continue
		}
		first, last := e.r[0], e.r[len(e.r)-1]
		if !hasEdge || e.a != lit.a || e.b != lit.b || !forward {
			cv.tee(step(last, e.to), e.to)
		}
		if !hasEdge || e.a != lit.a || e.b != lit.b || forward {
			cv.tee(step(first, e.from), e.from)
		}
	}
	p := picture{cv: cv}
	if hasEdge {
		p.route, p.dot = m.travel(cv, lit, forward)
	}
	p.lines = cv.render(m.codes())
	return p
}

// nodeColumns are the nodes and their pods: the board's, or the bare
// names before the board is known.
func (m *Model) nodeColumns() []present.NodeColumn {
	if len(m.board.Nodes) > 0 {
		return m.board.Nodes
	}
	cols := make([]present.NodeColumn, len(m.nodes))
	for i, n := range m.nodes {
		cols[i] = present.NodeColumn{Name: n, Ready: true}
	}
	return cols
}

// Roles of a place in the hop in flight.
const (
	roleIdle = iota
	roleSender
	roleReceiver
)

// place draws a control-plane component: a box (light; heavy for the
// sender, double for the receiver), or a label with brackets when
// compact ([sender], <receiver>).
func (m *Model) place(cv *canvas, s *scene, r rect, label string, role int) {
	k, b := inkDim, lightBorder
	switch role {
	case roleSender:
		k, b = inkActive, heavyBorder
	case roleReceiver:
		k, b = inkTarget, doubleBorder
	}
	tk := k
	if role == roleIdle {
		tk = inkText
	}
	if s.bh == 1 {
		open, close := ' ', ' '
		switch role {
		case roleSender:
			open, close = '[', ']'
		case roleReceiver:
			open, close = '<', '>'
		}
		// Against the edge on its right: the kubectl place is as wide
		// as its longest label.
		x := r.x + r.w - 2 - width(label)
		cv.set(x, r.y, open, k)
		n := cv.text(x+1, r.y, label, tk, r.w-2)
		cv.set(x+1+n, r.y, close, k)
		return
	}
	cv.box(r.x, r.y, r.w, r.h, b, k, "", k)
	cv.text(r.x+max((r.w-width(label))/2, 2), r.y+r.h/2, label, tk, r.w-4)
}

// pendingChips draws the pods no node has yet beside the scheduler,
// which is deciding where they go.
func (m *Model) pendingChips(cv *canvas, s *scene) {
	pods := m.board.Unscheduled
	if len(pods) == 0 || s.pending.w < 4 {
		return
	}
	x, y, end := s.pending.x, s.pending.y, s.pending.x+s.pending.w
	for i, p := range pods {
		chip := p.State.Symbol() + " " + shortName(p.Name, 14)
		rest := len(pods) - i
		if x+width(chip)+1 > end-4 && rest > 1 || x+width(chip) > end {
			cv.text(x, y, fmt.Sprintf("+%d", rest), inkWarn, end-x)
			return
		}
		x += cv.text(x, y, chip, m.chipInk(p), end-x) + 1
	}
}

// node draws one node: its box with the kubelet, the runtime, its pods
// and kube-proxy, or in one row its name, the part of it a hop involves
// and its pods' marks.
func (m *Model) node(cv *canvas, s *scene, np nodePlace, role func(string) int) {
	r := np.r
	kl, rt := role("kubelet/"+np.name), role("runtime/"+np.name)
	if np.more > 0 {
		kl = role(epMore)
	}
	k, b := inkDim, lightBorder
	switch max(kl, rt) {
	case roleSender:
		k, b = inkActive, heavyBorder
	case roleReceiver:
		k, b = inkTarget, doubleBorder
	}
	if kl == roleSender || rt == roleSender {
		k, b = inkActive, heavyBorder
	}
	title, tk := np.name, inkText
	if np.more > 0 {
		title = m.c.Tf("flow.more", np.more, np.morePods)
		tk = inkWarn
	} else if !np.ready {
		title += " ✕ NotReady"
		tk = inkWarn
	}
	if s.bh == 1 {
		x, end := r.x, r.x+r.w
		open := ' '
		switch max(kl, rt) {
		case roleSender:
			open = '['
		case roleReceiver:
			open = '<'
		}
		cv.set(x, r.y, open, k)
		x++
		x += cv.text(x, r.y, title, tk, end-x)
		if np.more > 0 {
			return
		}
		if part := max(kl, rt); part != roleIdle {
			word := "kubelet"
			if rt != roleIdle {
				word = "runtime"
			}
			x += cv.text(x, r.y, ":"+word, k, end-x)
		}
		x++
		for i, p := range np.pods {
			if left := len(np.pods) - i; left > 1 && x+3 > end-1 {
				cv.text(x, r.y, fmt.Sprintf("+%d", left), inkWarn, end-x)
				return
			}
			x += cv.text(x, r.y, p.State.Symbol(), m.chipInk(p), end-x)
		}
		return
	}
	cv.box(r.x, r.y, r.w, r.h, b, k, title, tk)
	if np.more > 0 {
		return
	}
	// kubelet ─▶ runtime on the first row inside, and kube-proxy to its
	// left where there is room, else on the last row.
	row := r.y + 1
	label(cv, np.kubelet-3, row, "kubelet", kl, r.w)
	label(cv, np.runtimeAt, row, "runtime", rt, r.x+r.w-1-np.runtimeAt)
	chipRows := r.h - 3
	switch {
	case np.kubelet-3-(r.x+2) >= width("kube-proxy")+1:
		cv.text(r.x+2, row, "kube-proxy", inkDim, r.w-4)
	case chipRows >= 2:
		chipRows--
		cv.text(r.x+2, r.y+r.h-2, "kube-proxy", inkDim, r.w-4)
	}
	m.chips(cv, np.pods, r.x+2, row+1, r.w-4, chipRows)
}

// label writes a part of a node at x, y, in brackets by its part in the
// hop in flight ([sender], <receiver>): shape, where there is no colour.
func label(cv *canvas, x, y int, s string, role, n int) {
	n = cv.text(x, y, s, inkForRole(role), n)
	switch role {
	case roleSender:
		cv.set(x-1, y, '[', inkActive)
		cv.set(x+n, y, ']', inkActive)
	case roleReceiver:
		cv.set(x-1, y, '<', inkTarget)
		cv.set(x+n, y, '>', inkTarget)
	}
}

// inkForRole is the ink of a label in a node by its part in the hop.
func inkForRole(role int) ink {
	switch role {
	case roleSender:
		return inkActive
	case roleReceiver:
		return inkTarget
	}
	return inkText
}

// chips draws pods as chips in rows of w cells from x, y; what does not
// fit is counted, "+N".
func (m *Model) chips(cv *canvas, pods []present.Chip, x, y, w, rows int) {
	if rows <= 0 || w <= 0 || len(pods) == 0 {
		return
	}
	// As many to a row as it takes to show them all, each as wide as
	// that leaves (the name cut in its middle), at least a mark and a
	// few letters; what still does not fit is counted.
	longest := 0
	for _, p := range pods {
		longest = max(longest, width(p.Name))
	}
	per := (len(pods) + rows - 1) / rows
	cw := min((w+1)/per-1, longest+2, 26)
	if cw < 8 {
		cw = min(8, w)
		per = max((w+1)/(cw+1), 1)
	}
	for i, p := range pods {
		row, col := i/per, i%per
		cx, cy := x+col*(cw+1), y+row
		if row == rows-1 && col == per-1 && i < len(pods)-1 {
			cv.text(cx, cy, fmt.Sprintf("+%d", len(pods)-i), inkWarn, cw)
			return
		}
		cv.text(cx, cy, p.State.Symbol()+" "+shortName(p.Name, cw-2), m.chipInk(p), cw)
	}
}

// chipInk is the ink of a pod's chip: its state's, or the packet's while
// the hop in flight carries the pod.
func (m *Model) chipInk(p present.Chip) ink {
	if m.hasHop && (m.hop.Object == "pods/"+p.Name || m.hop.To.Node() == p.Name && m.hop.To.Kind() == sim.KindPod) {
		return inkPacket
	}
	return [...]ink{inkPending, inkNotReady, inkReady, inkFailed, inkGone}[p.State]
}

// shortName fits a pod's name in n cells, keeping its start and its
// random end (what tells pods of one ReplicaSet apart): web-…-lz7qk.
func shortName(name string, n int) string {
	if width(name) <= n {
		return name
	}
	if n < 3 {
		return ""
	}
	tail := name
	if i := strings.LastIndexByte(name, '-'); i >= 0 {
		tail = name[i:]
	}
	keep := n - 1 - len(tail)
	if keep < 2 {
		return name[:n-1] + "…"
	}
	return name[:keep] + "…" + tail
}

// travel draws the lit edge, its arrowhead at the receiver and the
// hop's object beside the edge where it fits; it returns the edge's
// route from the sender and the packet, which picture.row draws at pos.
func (m *Model) travel(cv *canvas, e edge, forward bool) (route, rune) {
	r, from, to := e.r, e.from, e.to
	if !forward {
		r = slices.Clone(r)
		slices.Reverse(r)
		from, to = to, from
	}
	// A hop kubeplay inferred on a real cluster (nobody saw it: the
	// apiserver's write to etcd) travels a dashed, dim edge as a hollow
	// packet: told apart by shape where there is no colour.
	lit, packet := inkLit, '●'
	if m.hop.Evidence == sim.Inferred {
		lit, packet, cv.dash = inkDim, '○', true
		defer func() { cv.dash = false }()
	}
	cv.line(r, from, to, true, lit)
	if len(r) == 0 {
		return nil, packet
	}
	end := r[len(r)-1]
	cv.set(end.x, end.y, arrowHead(to), lit)
	m.labelBeside(cv, r)
	return r, packet
}

// arrowHead points into the side d of a box.
func arrowHead(d uint8) rune {
	switch d {
	case up:
		return '▲'
	case down:
		return '▼'
	case left:
		return '◀'
	}
	return '▶'
}

// labelBeside writes what the hop carries over or under the longest
// straight run of its edge, if those cells are free.
func (m *Model) labelBeside(cv *canvas, r route) {
	label := m.hop.Label()
	bestX, bestY, bestN := 0, 0, 0
	for i := 0; i < len(r); {
		j := i
		for j+1 < len(r) && r[j+1].y == r[i].y {
			j++
		}
		if n := j - i + 1; n > bestN {
			bestX, bestY, bestN = min(r[i].x, r[j].x), r[i].y, n
		}
		i = j + 1
	}
	n := min(width(label), bestN-2)
	if n < 6 {
		return
	}
	x := bestX + (bestN-n)/2
	for _, y := range []int{bestY - 1, bestY + 1} {
		if cv.free(x-1, y, n+2) {
			cv.text(x, y, label, inkTitle, n)
			if width(label) > n {
				cv.set(x+n-1, y, '…', inkTitle)
			}
			return
		}
	}
}
