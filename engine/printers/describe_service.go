package printers

//lint:file-ignore SA1019 kubectl still prints v1 Endpoints (`get endpoints`, service describe), so must we.

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// service is kubectl 1.33's describeService.
func (d *describer) service(svc *corev1.Service) {
	spec := svc.Spec
	d.write(level0, "Name:\t%s\n", svc.Name)
	d.write(level0, "Namespace:\t%s\n", svc.Namespace)
	d.labels("", "Labels", svc.Labels)
	d.annotations("Annotations", svc.Annotations)
	d.write(level0, "Selector:\t%s\n", labels.FormatLabels(spec.Selector))
	d.write(level0, "Type:\t%s\n", spec.Type)
	if spec.IPFamilyPolicy != nil {
		d.write(level0, "IP Family Policy:\t%s\n", *spec.IPFamilyPolicy)
	}
	families := make([]string, 0, len(spec.IPFamilies))
	for _, f := range spec.IPFamilies {
		families = append(families, string(f))
	}
	d.write(level0, "IP Families:\t%s\n", orNone(strings.Join(families, ",")))
	d.write(level0, "IP:\t%s\n", spec.ClusterIP)
	d.write(level0, "IPs:\t%s\n", orNone(strings.Join(spec.ClusterIPs, ",")))
	if len(spec.ExternalIPs) > 0 {
		d.write(level0, "External IPs:\t%v\n", strings.Join(spec.ExternalIPs, ","))
	}
	if spec.LoadBalancerIP != "" {
		d.write(level0, "Desired LoadBalancer IP:\t%s\n", spec.LoadBalancerIP)
	}
	if spec.ExternalName != "" {
		d.write(level0, "External Name:\t%s\n", spec.ExternalName)
	}
	if ing := svc.Status.LoadBalancer.Ingress; len(ing) > 0 {
		parts := make([]string, len(ing))
		for i, in := range ing {
			parts[i] = in.Hostname
			if in.IP != "" {
				parts[i] = in.IP
				if in.IPMode != nil {
					parts[i] += fmt.Sprintf(" (%s)", *in.IPMode)
				}
			}
		}
		d.write(level0, "LoadBalancer Ingress:\t%s\n", strings.Join(parts, ", "))
	}
	for _, sp := range spec.Ports {
		name := sp.Name
		if name == "" {
			name = "<unset>"
		}
		d.write(level0, "Port:\t%s\t%d/%s\n", name, sp.Port, sp.Protocol)
		if sp.TargetPort.Type == intstr.Int {
			d.write(level0, "TargetPort:\t%d/%s\n", sp.TargetPort.IntVal, sp.Protocol)
		} else {
			d.write(level0, "TargetPort:\t%s/%s\n", sp.TargetPort.StrVal, sp.Protocol)
		}
		if sp.NodePort != 0 {
			d.write(level0, "NodePort:\t%s\t%d/%s\n", name, sp.NodePort, sp.Protocol)
		}
		d.write(level0, "Endpoints:\t%s\n", serviceEndpoints(d.ctx.Endpoints, sp.Name))
	}
	d.write(level0, "Session Affinity:\t%s\n", spec.SessionAffinity)
	if spec.ExternalTrafficPolicy != "" {
		d.write(level0, "External Traffic Policy:\t%s\n", spec.ExternalTrafficPolicy)
	}
	if spec.InternalTrafficPolicy != nil {
		d.write(level0, "Internal Traffic Policy:\t%s\n", *spec.InternalTrafficPolicy)
	}
	if spec.HealthCheckNodePort != 0 {
		d.write(level0, "HealthCheck NodePort:\t%d\n", spec.HealthCheckNodePort)
	}
	if len(spec.LoadBalancerSourceRanges) > 0 {
		d.write(level0, "LoadBalancer Source Ranges:\t%v\n", strings.Join(spec.LoadBalancerSourceRanges, ","))
	}
	d.events()
}

// serviceEndpoints is formatEndpointSlices for one service port, read
// from the Endpoints object. No Endpoints prints "<none>"; Endpoints
// without ready addresses print nothing, as kubectl does for an endpoint
// slice with no endpoints.
func serviceEndpoints(ep *corev1.Endpoints, portName string) string {
	if ep == nil {
		return "<none>"
	}
	return endpointAddresses(ep, &portName)
}
