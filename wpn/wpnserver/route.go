package wpnserver

import "github.com/revival-net/revival/wpn"

// route is where a request for Target goes: a secondary of this primary,
// or another primary through the mesh.
type route struct {
	local  *session
	remote wpn.Handle
	mesh   bool
}

// resolve finds the user t names (wpn.md §3.13 "Handles"): a handle that
// is this primary's is looked up by name here; any other goes to the mesh.
// Without a configured public address a handle with our UDP port counts
// as ours whatever its IP (secondaries may reach us by several
// addresses), and a name we do not know still goes to the mesh.
func (s *Server) resolve(ss *session, t wpn.Target) route {
	h, err := wpn.ParseHandle(t.Handle)
	if err != nil {
		return route{}
	}
	ours := h.UDPPort == s.opts.UDPPort && (!s.opts.PublicIP.IsValid() || h.IP == s.opts.PublicIP)
	if ours {
		if target := s.dir.lookup(t.Name); target != nil {
			return route{local: target}
		}
	}
	if s.opts.Mesh != nil && h != ss.handle {
		return route{remote: h, mesh: true}
	}
	return route{}
}

// forward hands req to the mesh, passing its answers to ss; false when
// there is no mesh or no route.
func (s *Server) forward(ss *session, r route, req wpn.Packet) bool {
	if !r.mesh {
		return false
	}
	return s.opts.Mesh.Forward(r.remote, req, ss.origin(), func(p wpn.Packet) { ss.send(p) })
}
