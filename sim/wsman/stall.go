package wsman

import "net/http"

// stall holds an authenticated request without answering it (Config.Stall): a WinRM service that is hung, or a
// device between client and server that keeps the connection open and forwards nothing. The request ends when the
// client gives up (its connection closes) or the server closes; then the connection is closed without a reply,
// because an empty 200 (what net/http sends when a handler returns without writing) would be an answer.
func (s *Server) stall(w http.ResponseWriter, r *http.Request) {
	s.count(func(st *Stats) { st.Stalled++ })
	select {
	case <-r.Context().Done():
	case <-s.base.Done():
	}
	if hj, ok := w.(http.Hijacker); ok {
		if c, _, err := hj.Hijack(); err == nil {
			_ = c.Close()
		}
	}
}
