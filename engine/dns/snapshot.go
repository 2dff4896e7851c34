package dns

import (
	"encoding/json"
	"sync"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Snapshot is the cluster's namespaces, Services and EndpointSlices at one
// moment, as kube-proxy last synced them: what a Docker node hands the
// proxy inside each of its pods (as JSON, Encode/Decode), which routes
// cluster IPs with it and answers the cluster's DNS from it. Only what
// kube-proxy and the DNS read is kept of each object.
type Snapshot struct {
	NamespaceList []string                    `json:"namespaces"`
	ServiceList   []corev1.Service            `json:"services"`
	SliceList     []discoveryv1.EndpointSlice `json:"endpointSlices"`
	index         sync.Once                   // builds the maps below on first read
	services      map[string]*corev1.Service
	byIP          map[string]*corev1.Service
	slices        map[string][]*discoveryv1.EndpointSlice
	namespaces    map[string]bool
}

var _ Objects = (*Snapshot)(nil)

// NewSnapshot keeps of each object its name, namespace and what the DNS
// and kube-proxy read: a Service's spec; a slice's Service label, address
// type, ports, and of each endpoint its address, conditions (ready, serving,
// terminating: kube-proxy falls back to the serving terminating ones), hostname and
// pod.
func NewSnapshot(namespaces []string, services []*corev1.Service, slices []*discoveryv1.EndpointSlice) *Snapshot {
	s := &Snapshot{NamespaceList: namespaces}
	for _, svc := range services {
		s.ServiceList = append(s.ServiceList, corev1.Service{ObjectMeta: named(svc.ObjectMeta), Spec: svc.Spec})
	}
	for _, es := range slices {
		kept := discoveryv1.EndpointSlice{ObjectMeta: named(es.ObjectMeta), AddressType: es.AddressType, Ports: es.Ports,
			Endpoints: make([]discoveryv1.Endpoint, len(es.Endpoints))}
		kept.Labels = map[string]string{discoveryv1.LabelServiceName: es.Labels[discoveryv1.LabelServiceName]}
		for i, e := range es.Endpoints {
			kept.Endpoints[i] = discoveryv1.Endpoint{Addresses: e.Addresses, Conditions: discoveryv1.EndpointConditions{Ready: e.Conditions.Ready,
				Serving: e.Conditions.Serving, Terminating: e.Conditions.Terminating},
				Hostname: e.Hostname}
			if e.TargetRef != nil {
				kept.Endpoints[i].TargetRef = &corev1.ObjectReference{Name: e.TargetRef.Name}
			}
		}
		s.SliceList = append(s.SliceList, kept)
	}
	return s
}

func named(m metav1.ObjectMeta) metav1.ObjectMeta {
	return metav1.ObjectMeta{Name: m.Name, Namespace: m.Namespace}
}

// Encode is the snapshot as JSON.
func (s *Snapshot) Encode() ([]byte, error) { return json.Marshal(s) }

// DecodeSnapshot reads what Encode wrote.
func DecodeSnapshot(b []byte) (*Snapshot, error) {
	s := &Snapshot{}
	if err := json.Unmarshal(b, s); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Snapshot) build() {
	s.index.Do(func() {
		s.services = make(map[string]*corev1.Service, len(s.ServiceList))
		s.byIP = make(map[string]*corev1.Service, len(s.ServiceList))
		s.slices = make(map[string][]*discoveryv1.EndpointSlice, len(s.SliceList))
		s.namespaces = make(map[string]bool, len(s.NamespaceList))
		for i := range s.ServiceList {
			svc := &s.ServiceList[i]
			s.services[svc.Namespace+"/"+svc.Name] = svc
			if ip := svc.Spec.ClusterIP; ip != "" && ip != corev1.ClusterIPNone {
				s.byIP[ip] = svc
			}
		}
		for i := range s.SliceList {
			es := &s.SliceList[i]
			key := es.Namespace + "/" + es.Labels[discoveryv1.LabelServiceName]
			s.slices[key] = append(s.slices[key], es)
		}
		for _, ns := range s.NamespaceList {
			s.namespaces[ns] = true
		}
	})
}

// Service implements Objects.
func (s *Snapshot) Service(namespace, name string) *corev1.Service {
	s.build()
	return s.services[namespace+"/"+name]
}

// ServiceByIP implements Objects.
func (s *Snapshot) ServiceByIP(ip string) *corev1.Service {
	s.build()
	return s.byIP[ip]
}

// EndpointSlices implements Objects.
func (s *Snapshot) EndpointSlices(namespace, service string) []*discoveryv1.EndpointSlice {
	s.build()
	return s.slices[namespace+"/"+service]
}

// Namespace implements Objects.
func (s *Snapshot) Namespace(name string) bool {
	s.build()
	return s.namespaces[name]
}

// AllServices are the snapshot's Services, in its order.
func (s *Snapshot) AllServices() []*corev1.Service {
	out := make([]*corev1.Service, len(s.ServiceList))
	for i := range s.ServiceList {
		out[i] = &s.ServiceList[i]
	}
	return out
}

// AllEndpointSlices implements Objects.
func (s *Snapshot) AllEndpointSlices() []*discoveryv1.EndpointSlice {
	out := make([]*discoveryv1.EndpointSlice, len(s.SliceList))
	for i := range s.SliceList {
		out[i] = &s.SliceList[i]
	}
	return out
}
