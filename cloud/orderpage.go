package cloud

import "net/http"

func (s *Server) serveOrderPage(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }
