package printers

//lint:file-ignore SA1019 kubectl still describes v1 Endpoints, so must we.

import (
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
)

// endpoints is kubectl 1.33's describeEndpoints: one block per subset,
// each ended by a blank line, then the events.
func (d *describer) endpoints(ep *corev1.Endpoints) {
	d.write(level0, "Name:\t%s\n", ep.Name)
	d.write(level0, "Namespace:\t%s\n", ep.Namespace)
	d.labels("", "Labels", ep.Labels)
	d.annotations("Annotations", ep.Annotations)
	d.write(level0, "Subsets:\n")
	ips := func(addrs []corev1.EndpointAddress) string {
		s := make([]string, len(addrs))
		for i, a := range addrs {
			s[i] = a.IP
		}
		return orNone(strings.Join(s, ","))
	}
	for _, ss := range ep.Subsets {
		d.write(level1, "Addresses:\t%s\n", ips(ss.Addresses))
		d.write(level1, "NotReadyAddresses:\t%s\n", ips(ss.NotReadyAddresses))
		if len(ss.Ports) > 0 {
			d.write(level1, "Ports:\n")
			d.write(level2, "Name\tPort\tProtocol\n")
			d.write(level2, "----\t----\t--------\n")
			for _, p := range ss.Ports {
				d.write(level2, "%s\t%d\t%s\n", orUnset(p.Name), p.Port, p.Protocol)
			}
		}
		d.write(level0, "\n")
	}
	d.events()
}

// endpointSlice is kubectl 1.33's describeEndpointSliceV1.
func (d *describer) endpointSlice(eps *discoveryv1.EndpointSlice) {
	d.write(level0, "Name:\t%s\n", eps.Name)
	d.write(level0, "Namespace:\t%s\n", eps.Namespace)
	d.labels("", "Labels", eps.Labels)
	d.annotations("Annotations", eps.Annotations)
	d.write(level0, "AddressType:\t%s\n", eps.AddressType)
	if len(eps.Ports) == 0 {
		d.write(level0, "Ports: <unset>\n")
	} else {
		d.write(level0, "Ports:\n")
		d.write(level1, "Name\tPort\tProtocol\n")
		d.write(level1, "----\t----\t--------\n")
		for _, p := range eps.Ports {
			port := "<unset>"
			if p.Port != nil {
				port = strconv.Itoa(int(*p.Port))
			}
			d.write(level1, "%s\t%s\t%s\n", orUnset(deref(p.Name)), port, deref(p.Protocol))
		}
	}
	if len(eps.Endpoints) == 0 {
		d.write(level0, "Endpoints: <none>\n")
	} else {
		d.write(level0, "Endpoints:\n")
		for _, e := range eps.Endpoints {
			d.write(level1, "- Addresses:\t%s\n", orNone(strings.Join(e.Addresses, ", ")))
			d.write(level2, "Conditions:\n")
			ready := "<unset>"
			if e.Conditions.Ready != nil {
				ready = strconv.FormatBool(*e.Conditions.Ready)
			}
			d.write(level3, "Ready:\t%s\n", ready)
			d.write(level2, "Hostname:\t%s\n", strPtrOrUnset(e.Hostname))
			if e.TargetRef != nil {
				d.write(level2, "TargetRef:\t%s/%s\n", e.TargetRef.Kind, e.TargetRef.Name)
			}
			d.write(level2, "NodeName:\t%s\n", strPtrOrUnset(e.NodeName))
			d.write(level2, "Zone:\t%s\n", strPtrOrUnset(e.Zone))
		}
	}
	d.events()
}

// orUnset is kubectl's "<unset>" for an empty name.
func orUnset(s string) string {
	if s == "" {
		return "<unset>"
	}
	return s
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
