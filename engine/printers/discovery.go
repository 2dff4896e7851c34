package printers

import (
	"fmt"
	"strconv"
	"strings"

	discoveryv1 "k8s.io/api/discovery/v1"
)

// endpointSliceRow is kubectl's printEndpointSlice: ADDRESSTYPE, PORTS
// and ENDPOINTS (three each, then "+ N more..."; "<unset>" when none).
func endpointSliceRow(es *discoveryv1.EndpointSlice, o Options) []string {
	var ports, addrs []string
	for _, p := range es.Ports {
		switch {
		case p.Port != nil:
			ports = append(ports, strconv.Itoa(int(*p.Port)))
		case p.Name != nil:
			ports = append(ports, *p.Name)
		default:
			ports = append(ports, "*")
		}
	}
	for _, e := range es.Endpoints {
		addrs = append(addrs, e.Addresses...)
	}
	return []string{es.Name, string(es.AddressType), threeAndMore(ports), threeAndMore(addrs), since(o.Now, es.CreationTimestamp)}
}

// threeAndMore is kubectl's listWithMoreString over at most three items.
func threeAndMore(list []string) string {
	const max = 3
	if len(list) > max {
		return fmt.Sprintf("%s + %d more...", strings.Join(list[:max], ","), len(list)-max)
	}
	if len(list) == 0 {
		return "<unset>"
	}
	return strings.Join(list, ",")
}
