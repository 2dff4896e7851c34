package apiserver

import (
	"fmt"
	"net/netip"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// The Service IP range and NodePort range, upstream's defaults
// (--service-cluster-ip-range is set by kubeadm to 10.96.0.0/12).
var serviceCIDR = netip.MustParsePrefix("10.96.0.0/12")

const (
	NodePortMin = 30000
	NodePortMax = 32767
)

var resServices, _ = ResourceFor("services")

// allocateService gives a Service what the apiserver's service REST
// storage gives it: a cluster IP from the service range and a node port
// for each port of a NodePort Service, keeping those it had (old) and
// rejecting ones another Service holds. Random picks come from the
// kernel's seeded source, so a simulated run repeats.
func (s *Server) allocateService(svc *corev1.Service, old *corev1.Service) error {
	usedIPs, usedPorts := map[string]bool{}, map[int32]bool{}
	for _, o := range s.List(resServices, "") {
		other := o.(*corev1.Service)
		if other.Namespace == svc.Namespace && other.Name == svc.Name {
			continue
		}
		usedIPs[other.Spec.ClusterIP] = true
		for _, p := range other.Spec.Ports {
			usedPorts[p.NodePort] = true
		}
	}
	var errs field.ErrorList
	spec := &svc.Spec
	if spec.Type == corev1.ServiceTypeExternalName {
		spec.ClusterIP, spec.ClusterIPs = "", nil
	} else {
		if spec.ClusterIP == "" && old != nil {
			spec.ClusterIP = old.Spec.ClusterIP
		}
		switch ip := spec.ClusterIP; {
		case ip == corev1.ClusterIPNone:
		case ip == "":
			spec.ClusterIP = s.randomClusterIP(usedIPs)
		case old != nil && ip == old.Spec.ClusterIP:
		default:
			addr, err := netip.ParseAddr(ip)
			path := field.NewPath("spec", "clusterIPs").Index(0)
			switch {
			case err != nil:
				errs = append(errs, field.Invalid(path, ip, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"))
			case !serviceCIDR.Contains(addr):
				errs = append(errs, field.Invalid(path, ip, fmt.Sprintf("failed to allocate IP %s: the provided IP (%s) is not in the valid range. The range of valid IPs is %s", ip, ip, serviceCIDR)))
			case usedIPs[ip]:
				errs = append(errs, field.Invalid(path, ip, fmt.Sprintf("failed to allocate IP %s: provided IP is already allocated", ip)))
			}
		}
		spec.ClusterIPs = []string{spec.ClusterIP}
		if spec.ClusterIP != corev1.ClusterIPNone {
			single := corev1.IPFamilyPolicySingleStack
			spec.IPFamilyPolicy, spec.IPFamilies = &single, []corev1.IPFamily{corev1.IPv4Protocol}
		}
	}
	nodePorts := spec.Type == corev1.ServiceTypeNodePort || spec.Type == corev1.ServiceTypeLoadBalancer
	for i := range spec.Ports {
		p := &spec.Ports[i]
		if !nodePorts {
			p.NodePort = 0
			continue
		}
		if p.NodePort == 0 && old != nil {
			for _, op := range old.Spec.Ports {
				if op.Port == p.Port && op.Protocol == p.Protocol {
					p.NodePort = op.NodePort
				}
			}
		}
		path := field.NewPath("spec", "ports").Index(i).Child("nodePort")
		switch {
		case p.NodePort == 0:
			if p.NodePort = s.randomNodePort(usedPorts); p.NodePort == 0 {
				errs = append(errs, field.Invalid(path, p.NodePort, "failed to allocate a nodePort: range is full"))
			}
		case p.NodePort < NodePortMin || p.NodePort > NodePortMax:
			errs = append(errs, field.Invalid(path, p.NodePort, fmt.Sprintf("provided port is not in the valid range. The range of valid ports is %d-%d", NodePortMin, NodePortMax)))
		case usedPorts[p.NodePort]:
			errs = append(errs, field.Invalid(path, p.NodePort, "provided port is already allocated"))
		}
		usedPorts[p.NodePort] = true
	}
	if len(errs) > 0 {
		return apierrors.NewInvalid(resServices.GroupKind(), svc.Name, errs)
	}
	return nil
}

// randomClusterIP picks a free address of the service range at random,
// leaving out the network address, the first address (the kubernetes
// Service's) and the broadcast address.
func (s *Server) randomClusterIP(used map[string]bool) string {
	base := serviceCIDR.Addr().As4()
	size := 1 << (32 - serviceCIDR.Bits())
	for {
		off := 2 + s.k.Rand().IntN(size-3)
		a := base
		a[1] += byte(off >> 16)
		a[2] += byte(off >> 8)
		a[3] += byte(off)
		if ip := netip.AddrFrom4(a).String(); !used[ip] {
			return ip
		}
	}
}

// randomNodePort picks a free node port at random; 0 when none is left.
func (s *Server) randomNodePort(used map[int32]bool) int32 {
	n := NodePortMax - NodePortMin + 1
	start := s.k.Rand().IntN(n)
	for i := range n {
		if p := int32(NodePortMin + (start+i)%n); !used[p] {
			return p
		}
	}
	return 0
}
