package present

import (
	"net/netip"
	"sort"
	"strconv"

	"github.com/kubeplay/kubeplay/engine/addons"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
)

// ServiceRow is a Service as the board draws it: what a client connects
// to (its type, cluster IP and ports) and where kube-proxy or the DNS
// sends it (the endpoints of its EndpointSlices).
type ServiceRow struct {
	Namespace, Name string
	Type            string // ClusterIP, NodePort, LoadBalancer, ExternalName
	// ClusterIP is "None" for a headless Service, whose name the DNS
	// answers with the endpoints' own addresses.
	ClusterIP string
	// Ports are "80→8080/TCP", a NodePort's "80:30080→8080/TCP".
	Ports []string
	// ExternalName is the name an ExternalName Service's DNS name is an
	// alias for.
	ExternalName string
	// Selector: the endpoints follow the pods its selector picks;
	// without one they are whatever was written by hand.
	Selector  bool
	Endpoints []EndpointCell
	// More is how many endpoints there are beyond Endpoints.
	More int
}

// Headless reports whether the Service has no cluster IP of its own.
func (s ServiceRow) Headless() bool { return s.ClusterIP == corev1.ClusterIPNone }

// Ready is how many of the endpoints are ready: what kube-proxy sends
// connections to and the DNS answers a headless name with.
func (s ServiceRow) Ready() int {
	n := 0
	for _, e := range s.Endpoints {
		if e.State == Ready {
			n++
		}
	}
	return n
}

// EndpointCell is one address of a Service's endpoints, the pod behind
// it, and its state: Ready, NotReady (kept out of the rules), or
// Terminating.
type EndpointCell struct {
	IP, Pod string
	State   PodState
}

// Text is the cell as words: "● 10.244.1.3 web-7d4b9c8f5-xk2pq".
func (e EndpointCell) Text() string {
	s := e.State.Symbol() + " " + e.IP
	if e.Pod != "" {
		s += " " + e.Pod
	}
	return s
}

// maxEndpoints is how many of a Service's endpoints the board draws: the
// pods are all in the node columns; here a few tell the story, and the
// rest are counted.
const maxEndpoints = 8

// ServiceRows presents the learner's Services by namespace and name with
// the endpoints their EndpointSlices hold, ready ones first. The
// cluster's own are left out, as the board leaves out the add-ons' pods:
// the add-ons' Services, and default/kubernetes, whose endpoint is the
// API server.
func ServiceRows(svcs []*corev1.Service, slices []*discoveryv1.EndpointSlice) []ServiceRow {
	bySvc := map[string][]*discoveryv1.EndpointSlice{}
	for _, s := range slices {
		if name := s.Labels[discoveryv1.LabelServiceName]; name != "" && s.AddressType != discoveryv1.AddressTypeFQDN {
			bySvc[s.Namespace+"/"+name] = append(bySvc[s.Namespace+"/"+name], s)
		}
	}
	var out []ServiceRow
	for _, svc := range svcs {
		if addons.Is(svc.Namespace, svc.Labels) || svc.Namespace == "default" && svc.Name == "kubernetes" {
			continue
		}
		r := ServiceRow{Namespace: svc.Namespace, Name: svc.Name, Type: string(svc.Spec.Type), ClusterIP: svc.Spec.ClusterIP,
			ExternalName: svc.Spec.ExternalName, Selector: len(svc.Spec.Selector) > 0}
		if r.Type == "" {
			r.Type = string(corev1.ServiceTypeClusterIP)
		}
		for _, p := range svc.Spec.Ports {
			r.Ports = append(r.Ports, portText(p))
		}
		r.Endpoints = endpointCells(bySvc[svc.Namespace+"/"+svc.Name])
		if len(r.Endpoints) > maxEndpoints {
			r.More = len(r.Endpoints) - maxEndpoints
			r.Endpoints = r.Endpoints[:maxEndpoints]
		}
		out = append(out, r)
	}
	sort.SliceStable(out, func(a, b int) bool {
		return nsNameLess(out[a].Namespace, out[a].Name, out[b].Namespace, out[b].Name)
	})
	return out
}

// nsNameLess orders objects by namespace, then name.
func nsNameLess(ns1, name1, ns2, name2 string) bool {
	if ns1 != ns2 {
		return ns1 < ns2
	}
	return name1 < name2
}

// portText is a Service port as it goes: the Service's port, the node
// port, then the pods' port (a number or a container port's name).
func portText(p corev1.ServicePort) string {
	s := strconv.Itoa(int(p.Port))
	if p.NodePort != 0 {
		s += ":" + strconv.Itoa(int(p.NodePort))
	}
	target := p.TargetPort.String()
	if target == "0" || target == "" {
		target = strconv.Itoa(int(p.Port)) // the apiserver's default
	}
	proto := string(p.Protocol)
	if proto == "" {
		proto = string(corev1.ProtocolTCP)
	}
	return s + "→" + target + "/" + proto
}

// endpointCells are the slices' endpoints, one per address (an address
// in two slices once), ready first, then by pod and address.
func endpointCells(slices []*discoveryv1.EndpointSlice) []EndpointCell {
	seen := map[string]bool{}
	var out []EndpointCell
	for _, s := range slices {
		for _, ep := range s.Endpoints {
			state := Ready
			switch {
			case ep.Conditions.Terminating != nil && *ep.Conditions.Terminating:
				state = Terminating
			case ep.Conditions.Ready != nil && !*ep.Conditions.Ready:
				// nil is ready: "consumers should interpret the unknown
				// state as ready" (discovery/v1).
				state = NotReady
			}
			pod := ""
			if ep.TargetRef != nil && ep.TargetRef.Kind == "Pod" {
				pod = ep.TargetRef.Name
			}
			for _, ip := range ep.Addresses {
				if seen[ip] {
					continue
				}
				seen[ip] = true
				out = append(out, EndpointCell{IP: ip, Pod: pod, State: state})
			}
		}
	}
	sort.SliceStable(out, func(a, b int) bool {
		if ra, rb := endpointRank[out[a].State], endpointRank[out[b].State]; ra != rb {
			return ra < rb
		}
		if out[a].Pod != out[b].Pod {
			return out[a].Pod < out[b].Pod
		}
		return ipLess(out[a].IP, out[b].IP)
	})
	return out
}

// endpointRank orders endpoints: ready, not ready, terminating.
var endpointRank = map[PodState]int{Ready: 0, NotReady: 1, Terminating: 2}

// ipLess orders addresses by their numbers (10.244.1.9 before
// 10.244.1.10), anything else after them as text.
func ipLess(a, b string) bool {
	pa, errA := netip.ParseAddr(a)
	pb, errB := netip.ParseAddr(b)
	if errA != nil || errB != nil {
		return errA == nil || errB != nil && a < b
	}
	return pa.Less(pb)
}
